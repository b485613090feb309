namespace RetentionPlatform.Notifications.Infrastructure;

/// <summary>Wakes a waiting worker when work was committed, so it need not wait for its next poll.</summary>
public sealed class PipelineSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the worker looks once, which covers this commit too.
        }
    }

    public void Dispose() => _signal.Dispose();

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
