namespace RetentionPlatform.Profiles;

/// <summary>
/// Everything the platform knows about one customer of one tenant, as the grain holds it. Returned by
/// <see cref="ICustomerGrain.GetProfileAsync"/> as a copy; ids are never renumbered.
/// </summary>
[GenerateSerializer]
[Alias("retention.profiles.CustomerProfile.v1")]
public sealed class CustomerProfile
{
    /// <summary>The tenant's own customer id (the canonical one after a merge).</summary>
    [Id(0)] public string CustomerId { get; set; } = "";

    /// <summary>Distinct events applied (duplicates by event id count once).</summary>
    [Id(1)] public long EventCount { get; set; }

    /// <summary>Earliest occurred-at applied.</summary>
    [Id(2)] public DateTimeOffset? FirstSeen { get; set; }

    /// <summary>Latest occurred-at applied.</summary>
    [Id(3)] public DateTimeOffset? LastSeen { get; set; }

    /// <summary>Type of the event with the latest occurred-at.</summary>
    [Id(4)] public string? LastEventType { get; set; }

    [Id(5)] public CustomerIdentity Identity { get; set; } = new();

    /// <summary>Typed traits set by partners (text, number, true/false).</summary>
    [Id(6)] public Dictionary<string, TraitValue> Traits { get; set; } = new(StringComparer.Ordinal);

    /// <summary>IANA time zone, for example <c>Europe/Berlin</c>; null means the tenant's default.</summary>
    [Id(7)] public string? TimeZone { get; set; }

    /// <summary>BCP 47 locale, for example <c>de-DE</c>.</summary>
    [Id(8)] public string? Locale { get; set; }

    /// <summary>The consent ledger: the latest statement per channel and purpose (key <c>email:marketing</c>).</summary>
    [Id(9)] public Dictionary<string, ConsentEntry> Consent { get; set; } = new(StringComparer.Ordinal);

    [Id(10)] public ContactPreferences Preferences { get; set; } = new();

    [Id(11)] public CommerceStats Commerce { get; set; } = new();

    [Id(12)] public EngagementStats Engagement { get; set; } = new();

    [Id(13)] public SupportContext Support { get; set; } = new();

    [Id(14)] public AppointmentStats Appointments { get; set; } = new();

    [Id(15)] public SubscriptionState Subscription { get; set; } = new();

    /// <summary>Recent touches across every channel and journey, oldest first (bounded).</summary>
    [Id(16)] public List<ContactTouch> ContactHistory { get; set; } = [];

    /// <summary>Segments the customer is in, with the moment of entry.</summary>
    [Id(17)] public Dictionary<string, DateTimeOffset> Segments { get; set; } = new(StringComparer.Ordinal);

    [Id(18)] public ChurnRisk Churn { get; set; } = new();

    [Id(19)] public RfmScores Rfm { get; set; } = new();

    [Id(20)] public LifetimeValue LifetimeValue { get; set; } = new();

    /// <summary>The most recent contact decisions, oldest first (bounded).</summary>
    [Id(21)] public List<ContactDecision> RecentDecisions { get; set; } = [];

    /// <summary>Customer ids merged into this one.</summary>
    [Id(22)] public List<string> MergedFrom { get; set; } = [];
}
