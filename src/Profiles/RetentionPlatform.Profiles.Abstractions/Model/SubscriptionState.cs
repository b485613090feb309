namespace RetentionPlatform.Profiles;

/// <summary>The customer's plan, if the business sells subscriptions.</summary>
[GenerateSerializer]
[Alias("retention.profiles.SubscriptionState.v1")]
public sealed class SubscriptionState
{
    /// <summary><c>none</c>, <c>active</c> or <c>cancelled</c>.</summary>
    [Id(0)] public string Status { get; set; } = "none";

    [Id(1)] public string? Plan { get; set; }

    [Id(2)] public DateTimeOffset? StartedAt { get; set; }

    [Id(3)] public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>Occurred-at of the last subscription event applied; older ones do not override it.</summary>
    [Id(4)] public DateTimeOffset? ChangedAt { get; set; }
}
