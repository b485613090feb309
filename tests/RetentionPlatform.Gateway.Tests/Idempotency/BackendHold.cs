namespace RetentionPlatform.Gateway.Tests.Idempotency;

/// <summary>Holds one backend call until the test releases it, so a test can act while a request is in progress.</summary>
public sealed class BackendHold
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the held call has reached the backend.</summary>
    public Task Entered => _entered.Task;

    public void Release() => _released.TrySetResult();

    internal Task EnterAsync()
    {
        _entered.TrySetResult();
        return _released.Task;
    }
}
