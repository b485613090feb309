namespace RetentionPlatform.Notifications.Infrastructure;

/// <summary>The signals of the three workers: decisions (new requests), deliveries (queued messages) and the event log.</summary>
public sealed class PipelineSignals : IDisposable
{
    public PipelineSignal Decide { get; } = new();

    public PipelineSignal Deliver { get; } = new();

    public PipelineSignal Publish { get; } = new();

    public void Dispose()
    {
        Decide.Dispose();
        Deliver.Dispose();
        Publish.Dispose();
    }
}
