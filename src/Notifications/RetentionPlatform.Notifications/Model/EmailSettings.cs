namespace RetentionPlatform.Notifications.Model;

/// <summary>A tenant's SMTP server and sender.</summary>
/// <param name="Host">The SMTP server's host name or address.</param>
/// <param name="Port">Its port (25, 465, 587, ...).</param>
/// <param name="Security">none, starttls or tls (implicit TLS, usually port 465).</param>
/// <param name="UserName">The login; null for none.</param>
/// <param name="Password">The password; kept encrypted at rest, never returned by the API.</param>
/// <param name="FromAddress">The sender address.</param>
/// <param name="FromName">The sender's display name (usually the business's name); null for none.</param>
/// <param name="ReplyTo">Where replies go; null for the sender address.</param>
public sealed record EmailSettings(
    string Host,
    int Port,
    SmtpSecurity Security,
    string? UserName,
    string? Password,
    string FromAddress,
    string? FromName,
    string? ReplyTo);
