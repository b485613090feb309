namespace RetentionPlatform.Standalone;

/// <summary>
/// Lets the standalone host, not each embedded service, own Ctrl+C: services then stop in the right
/// order (gateway first, storage last) instead of all at once.
/// </summary>
public sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
