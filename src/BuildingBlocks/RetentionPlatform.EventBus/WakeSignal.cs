namespace RetentionPlatform.EventBus;

/// <summary>
/// Wakes a background worker when a transaction committed work for it (outbox rows, due messages), so the work need not
/// wait for the worker's next poll. Signals while it is busy collapse into one: it looks once, which covers them all.
/// </summary>
public class WakeSignal : IDisposable
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
            // Already signalled: the worker will look once, which covers this commit too.
        }
    }

    public void Dispose()
    {
        _signal.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Waits for a signal or the timeout (the worker's poll interval).</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
