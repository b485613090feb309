namespace RetentionPlatform.Notifications.Model;

/// <summary>One template of a tenant in one locale, as authored (Handlebars syntax).</summary>
/// <param name="TemplateId">The tenant's template id (1-64 of a-z, 0-9, '-', '_', '.').</param>
/// <param name="Locale">BCP 47 locale, for example "en" or "de-DE".</param>
/// <param name="Subject">The subject line (email) or title (push).</param>
/// <param name="Html">The HTML body; null for a template that is text only.</param>
/// <param name="Text">The plain-text body (SMS, push, webhook and the email's text part).</param>
/// <param name="UpdatedAt">When it was last saved.</param>
public sealed record MessageTemplate(string TemplateId, string Locale, string Subject, string? Html, string Text, DateTimeOffset UpdatedAt);
