using System.Security.Cryptography;
using System.Text;

namespace RetentionPlatform.Notifications.Infrastructure;

/// <summary>
/// Seals small secrets with AES-256-GCM: a random 12-byte nonce, the ciphertext and the 16-byte tag, bound to the
/// tenant as associated data, so one tenant's sealed secrets copied into another tenant's row do not open.
/// </summary>
public sealed class SecretBox(NotificationKeys keys)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public byte[] Seal(string tenantId, string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys.SecretsKey, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), Encoding.UTF8.GetBytes(tenantId));
        return sealedBytes;
    }

    /// <summary>Opens what <see cref="Seal"/> made for the same tenant; throws <see cref="CryptographicException"/> when it was tampered with or sealed under another key.</summary>
    public string Open(string tenantId, byte[] sealedBytes)
    {
        if (sealedBytes.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The sealed secret is too short.");
        }

        var length = sealedBytes.Length - NonceSize - TagSize;
        var plain = new byte[length];
        using var aes = new AesGcm(keys.SecretsKey, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, length), sealedBytes.AsSpan(NonceSize + length), plain, Encoding.UTF8.GetBytes(tenantId));
        return Encoding.UTF8.GetString(plain);
    }
}
