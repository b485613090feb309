namespace RetentionPlatform.Notifications.Model;

/// <summary>The result of one delivery attempt.</summary>
/// <param name="Outcome">Sent, transient or permanent failure.</param>
/// <param name="ProviderMessageId">The id the receiving side gave the message (an SMTP queue id, a provider id), when known.</param>
/// <param name="Error">Why it failed, in words fit for the delivery log (no secrets).</param>
/// <param name="Bounced">A permanent failure that says the address itself is bad (SMTP 550 on the recipient).</param>
public sealed record DeliveryResult(DeliveryOutcome Outcome, string? ProviderMessageId = null, string? Error = null, bool Bounced = false)
{
    public static DeliveryResult Sent(string? providerMessageId = null) => new(DeliveryOutcome.Sent, providerMessageId);

    public static DeliveryResult Transient(string error) => new(DeliveryOutcome.Transient, Error: error);

    public static DeliveryResult Permanent(string error, bool bounced = false) => new(DeliveryOutcome.Permanent, Error: error, Bounced: bounced);
}
