namespace RetentionPlatform.Profiles;

/// <summary>The persisted state of a <see cref="CustomerGrain"/>. Ids are never renumbered.</summary>
[GenerateSerializer]
[Alias("retention.profiles.CustomerState.v2")]
public sealed class CustomerState : IScheduledWake
{
    /// <summary>The profile; null until the first event (and again after an erasure or a merge into another customer).</summary>
    [Id(0)] public CustomerProfile? Profile { get; set; }

    /// <summary>Hashes of the most recently applied event ids, oldest first (the dedup window).</summary>
    [Id(1)] public List<ulong> RecentEventHashes { get; set; } = [];

    /// <summary>Set when the customer was erased: a tombstone that drops every later event.</summary>
    [Id(2)] public DateTimeOffset? ErasedAt { get; set; }

    /// <summary>Set when this customer was merged into another: every call is forwarded there.</summary>
    [Id(3)] public string? MergedInto { get; set; }

    /// <summary>Profile changes written with the state but not yet delivered.</summary>
    [Id(4)] public List<ProfileChange> Outbox { get; set; } = [];

    /// <summary>When time alone next changes a segment membership or the churn risk; stored with the state for the wake-up scanner.</summary>
    [Id(5)] public DateTimeOffset? WakeAt { get; set; }
}
