namespace RetentionPlatform.Notifications.Model;

/// <summary>A rendered message, ready for its channel.</summary>
/// <param name="TenantId">The business sending it.</param>
/// <param name="MessageId">The platform's message id (a UUID): the email's Message-ID and the webhook's idempotency key derive from it, so a receiver can drop a repeat.</param>
/// <param name="CustomerId">The tenant's customer id.</param>
/// <param name="Channel">The channel it goes out on.</param>
/// <param name="Purpose">Why it is sent.</param>
/// <param name="Address">Where to: the email address, the phone number, or for push and webhook the customer id.</param>
/// <param name="RecipientName">The customer's name for the To header; null when unknown.</param>
/// <param name="Subject">Subject line (email) or title (push).</param>
/// <param name="Html">The sanitised HTML body (email only; null for other channels).</param>
/// <param name="Text">The plain-text body (every channel).</param>
/// <param name="HumanUrl">The "talk to a person" link.</param>
/// <param name="UnsubscribeUrl">The unsubscribe page (GET shows it) and RFC 8058 one-click target (POST acts).</param>
/// <param name="TemplateId">The template it was rendered from.</param>
/// <param name="Locale">The locale it was rendered in.</param>
public sealed record OutgoingMessage(
    string TenantId,
    Guid MessageId,
    string CustomerId,
    NotificationChannel Channel,
    NotificationPurpose Purpose,
    string Address,
    string? RecipientName,
    string Subject,
    string? Html,
    string Text,
    Uri HumanUrl,
    Uri UnsubscribeUrl,
    string TemplateId,
    string Locale);
