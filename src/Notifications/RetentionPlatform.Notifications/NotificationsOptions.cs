namespace RetentionPlatform.Notifications;

/// <summary>The service's settings (section <c>Notifications</c>).</summary>
public sealed class NotificationsOptions
{
    public const string SectionName = "Notifications";

    /// <summary>Where customers reach the links in messages: the gateway's public address (the pages live under <c>/m/</c>).</summary>
    public Uri PublicBaseUrl { get; set; } = new("http://localhost:8080/");

    /// <summary>The time zone for customers whose profile names none.</summary>
    public string DefaultTimeZone { get; set; } = "UTC";

    /// <summary>Delivery attempts before a transiently failing message fails for good.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry's delay; each further retry doubles it.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest delay between two retries.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the workers look for due messages when nothing woke them.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether tenants' endpoints (SMTP servers, webhooks, providers) may be on loopback or private networks. Off in
    /// production, so a tenant cannot make the platform reach its internal network; on for development hosts and tests.
    /// </summary>
    public bool AllowPrivateNetworkEndpoints { get; set; }

    /// <summary>Messages one worker claims at a time.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Messages decided or delivered at once by one replica.</summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>How long a claimed message is held; a worker that died lets it go after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);
}
