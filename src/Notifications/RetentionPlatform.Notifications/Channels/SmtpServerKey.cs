using System.Security.Cryptography;
using System.Text;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Channels;

/// <summary>
/// Which SMTP connections may be shared: tenants with the same server and login share a pool. The password enters
/// only as a hash, so the key can sit in a dictionary (and a debugger) without carrying it.
/// </summary>
internal readonly record struct SmtpServerKey(string Host, int Port, SmtpSecurity Security, string? UserName, string PasswordHash)
{
    public static SmtpServerKey From(EmailSettings settings) => new(
        settings.Host.ToUpperInvariant(),
        settings.Port,
        settings.Security,
        settings.UserName,
        settings.Password is null ? "" : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(settings.Password))));
}
