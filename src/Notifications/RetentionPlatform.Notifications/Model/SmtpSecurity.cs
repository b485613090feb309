namespace RetentionPlatform.Notifications.Model;

/// <summary>How the connection to an SMTP server is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain text (loopback and test servers only).</summary>
    None,

    /// <summary>Upgrade with STARTTLS; refuse a server that does not offer it.</summary>
    StartTls,

    /// <summary>TLS from the first byte (SMTPS, usually port 465).</summary>
    Tls,
}
