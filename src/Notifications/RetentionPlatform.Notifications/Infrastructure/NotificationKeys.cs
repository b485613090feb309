using System.Security.Cryptography;
using System.Text;

namespace RetentionPlatform.Notifications.Infrastructure;

/// <summary>
/// The service's keys, all derived (HKDF-SHA256) from one master secret, <c>Notifications:MasterKey</c> (base64, at
/// least 32 bytes): one seals the tenants' channel secrets at rest, one signs the links in messages. Separate keys
/// per use, so a leak of one use's material says nothing about the other. Every replica needs the same master key.
/// </summary>
public sealed class NotificationKeys
{
    /// <summary>The configuration key of the master secret (<c>Notifications__MasterKey</c> in the environment).</summary>
    public const string MasterKeySetting = "Notifications:MasterKey";

    public NotificationKeys(string? masterKeyBase64)
    {
        byte[] master;
        try
        {
            master = Convert.FromBase64String(masterKeyBase64 ?? "");
        }
        catch (FormatException)
        {
            master = [];
        }

        if (master.Length < 32)
        {
            throw new InvalidOperationException(
                $"Set {MasterKeySetting} (Notifications__MasterKey) to at least 32 random bytes in base64, the same on every replica; for example: openssl rand -base64 32.");
        }

        SecretsKey = Derive(master, "retention.notifications.secrets.v1");
        LinksKey = Derive(master, "retention.notifications.links.v1");
    }

    /// <summary>The AES-256-GCM key that seals channel secrets.</summary>
    internal byte[] SecretsKey { get; }

    /// <summary>The HMAC key of link tokens.</summary>
    internal byte[] LinksKey { get; }

    /// <summary>A fresh random master key in base64 (for hosts that generate one).</summary>
    public static string NewMasterKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static byte[] Derive(byte[] master, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, salt: [], info: Encoding.UTF8.GetBytes(purpose));
}
