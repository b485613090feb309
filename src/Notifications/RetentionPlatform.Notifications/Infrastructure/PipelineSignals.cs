using RetentionPlatform.EventBus;

namespace RetentionPlatform.Notifications.Infrastructure;

/// <summary>The signals of the three workers: decisions (new requests), deliveries (queued messages) and the event log.</summary>
public sealed class PipelineSignals : IDisposable
{
    public WakeSignal Decide { get; } = new();

    public WakeSignal Deliver { get; } = new();

    public WakeSignal Publish { get; } = new();

    public void Dispose()
    {
        Decide.Dispose();
        Deliver.Dispose();
        Publish.Dispose();
    }
}
