namespace RetentionPlatform.EventBus;

/// <summary>How one consumer group reads one topic.</summary>
public sealed class KafkaConsumerOptions
{
    public string Topic { get; set; } = "";

    public string GroupId { get; set; } = "";

    /// <summary>Most messages taken into one batch before handling and committing.</summary>
    public int MaxBatchSize { get; set; } = 500;

    /// <summary>How many keys (customers) of a batch are handled at once.</summary>
    public int MaxConcurrency { get; set; } = 256;

    /// <summary>Attempts per event (first try included) before it is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Backoff before the second attempt; doubled for each later one.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long shutdown waits for the batch in flight to finish before abandoning it.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(10);
}
