namespace RetentionPlatform.Scheduling.Infrastructure;

/// <summary>The outbox dispatcher's settings (<c>Scheduling:Outbox</c>).</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Scheduling:Outbox";

    /// <summary>How often due events are looked for when nothing wakes the dispatcher (reminders are due at most this late).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many events one transaction publishes.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>How long sent events stay in the outbox (for inspection) before they are deleted.</summary>
    public TimeSpan KeepSent { get; set; } = TimeSpan.FromDays(7);
}
