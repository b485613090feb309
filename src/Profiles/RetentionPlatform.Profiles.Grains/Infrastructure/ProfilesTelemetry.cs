using System.Diagnostics.Metrics;

namespace RetentionPlatform.Profiles;

/// <summary>The Profiles grains' metrics (meter <c>RetentionPlatform.Profiles</c>).</summary>
public static class ProfilesTelemetry
{
    public const string MeterName = "RetentionPlatform.Profiles";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Contact decisions by outcome, reason, channel and purpose.</summary>
    public static readonly Counter<long> ContactDecisions = Meter.CreateCounter<long>("retention.profiles.contact_decisions", description: "Contact decisions made, by outcome and reason.");

    public static readonly Counter<long> EventsApplied = Meter.CreateCounter<long>("retention.profiles.events_applied", description: "Customer events applied to profiles.");

    public static readonly Counter<long> SegmentChanges = Meter.CreateCounter<long>("retention.profiles.segment_changes", description: "Segment entries and exits.");
}
