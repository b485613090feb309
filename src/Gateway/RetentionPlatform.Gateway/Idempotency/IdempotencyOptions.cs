namespace RetentionPlatform.Gateway.Idempotency;

/// <summary>How the gateway honours <c>Idempotency-Key</c> on POST requests (configuration section <c>Gateway:Idempotency</c>).</summary>
public sealed class IdempotencyOptions
{
    public const string SectionName = "Gateway:Idempotency";

    /// <summary>How long a key's response is kept and replayed after its first request; afterwards the key may be used afresh.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a claim may stay in progress before a request with the same key and fingerprint may take it over
    /// (the gateway that held it died). Keep it above the longest time a proxied request may take.
    /// </summary>
    public TimeSpan StaleClaimTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often expired records are deleted.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The largest response body kept for replay. A larger response reaches the client but is not stored, so a
    /// retry with the key runs again.
    /// </summary>
    public int MaxStoredResponseBytes { get; set; } = 1024 * 1024;
}
