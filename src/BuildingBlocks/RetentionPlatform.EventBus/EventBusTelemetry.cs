using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RetentionPlatform.EventBus;

/// <summary>The event bus's activity source and meter (both named <c>RetentionPlatform.EventBus</c>).</summary>
public sealed class EventBusTelemetry : IDisposable
{
    public const string Name = "RetentionPlatform.EventBus";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter;

    public EventBusTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        Published = _meter.CreateCounter<long>("retention.eventbus.published", "{event}", "Events acknowledged by the broker.");
        PublishFailed = _meter.CreateCounter<long>("retention.eventbus.publish_failed", "{event}", "Events the broker did not accept.");
        Handled = _meter.CreateCounter<long>("retention.eventbus.handled", "{event}", "Events handled and committed.");
        Failed = _meter.CreateCounter<long>("retention.eventbus.failed", "{attempt}", "Handler attempts that threw.");
        DeadLettered = _meter.CreateCounter<long>("retention.eventbus.dead_lettered", "{event}", "Events sent to a dead-letter topic.");
        HandleDuration = _meter.CreateHistogram<double>("retention.eventbus.handle.duration", "s", "Time to handle one key's events of a batch.");
    }

    public Counter<long> Published { get; }

    public Counter<long> PublishFailed { get; }

    public Counter<long> Handled { get; }

    public Counter<long> Failed { get; }

    public Counter<long> DeadLettered { get; }

    public Histogram<double> HandleDuration { get; }

    /// <summary>Registers a lag gauge fed by one consumer.</summary>
    public void ObserveLag(string topic, string groupId, Func<long> lag) =>
        _meter.CreateObservableGauge(
            "retention.eventbus.lag",
            () => new Measurement<long>(lag(), new KeyValuePair<string, object?>("messaging.destination.name", topic), new KeyValuePair<string, object?>("messaging.consumer.group.name", groupId)),
            "{message}",
            "Messages behind the end of the assigned partitions.");

    public void Dispose() => _meter.Dispose();
}
