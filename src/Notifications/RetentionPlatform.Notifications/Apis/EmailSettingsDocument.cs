using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Apis;

/// <summary>SMTP settings in the API; <c>password</c> is write-only, <c>hasPassword</c> read-only.</summary>
internal sealed record EmailSettingsDocument(
    string? Host,
    int? Port,
    SmtpSecurity? Security,
    string? UserName,
    string? Password,
    string? FromAddress,
    string? FromName,
    string? ReplyTo,
    bool? HasPassword);
