namespace RetentionPlatform.Profiles;

/// <summary>What an automated touch wants to do.</summary>
/// <param name="Channel">How it would reach the customer.</param>
/// <param name="Purpose">Why.</param>
/// <param name="Kind">Who asks: a journey, campaign or template name, for the contact history (for example <c>journey:win-back</c>).</param>
/// <param name="MessageId">The sender's id for the message; an allowed decision records the touch under it, so the later
/// <c>message_sent</c> event with the same id is not counted twice.</param>
[GenerateSerializer]
[Alias("retention.profiles.ContactRequest.v1")]
public sealed record ContactRequest(
    [property: Id(0)] ContactChannel Channel,
    [property: Id(1)] ContactPurpose Purpose,
    [property: Id(2)] string Kind,
    [property: Id(3)] string? MessageId = null);
