namespace RetentionPlatform.Profiles;

/// <summary>The persisted state of a <see cref="CustomerGrain"/>. Ids are never renumbered.</summary>
[GenerateSerializer]
[Alias("retention.profiles.CustomerState.v1")]
public sealed class CustomerState
{
    [Id(0)]
    public long EventCount { get; set; }

    [Id(1)]
    public DateTimeOffset? FirstSeen { get; set; }

    [Id(2)]
    public DateTimeOffset? LastSeen { get; set; }

    [Id(3)]
    public string? LastEventType { get; set; }

    /// <summary>Ids of the most recently applied events, oldest first (the dedup window).</summary>
    [Id(4)]
    public List<string> RecentEventIds { get; set; } = [];
}
