using System.Diagnostics;

namespace RetentionPlatform.EventBus;

/// <summary>An event read from Kafka, with where it came from and the trace it belongs to.</summary>
public sealed record ConsumedEvent(EventEnvelope Envelope, string Topic, int Partition, long Offset, ActivityContext ParentContext);
