using System.Security.Cryptography;

namespace RetentionPlatform.Gateway.Tenants;

/// <summary>
/// Issued keys look like <c>rpk_&lt;8 characters&gt;_&lt;32 characters&gt;</c> (lowercase base32): the first part,
/// <c>rpk_&lt;8&gt;</c>, is the key's public prefix (shown in lists, used to revoke); the rest is 160 random bits.
/// </summary>
public static class ApiKeyFormat
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const string Marker = "rpk_";

    /// <summary>A new random key and its prefix.</summary>
    public static (string Key, string Prefix) NewKey()
    {
        var prefix = Marker + Random(8);
        return ($"{prefix}_{Random(32)}", prefix);
    }

    /// <summary>Whether <paramref name="prefix"/> has the shape of a key prefix (issued or configured).</summary>
    public static bool IsPrefix(string? prefix) =>
        prefix is { Length: > 0 and <= 64 } && prefix.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-');

    private static string Random(int length)
    {
        Span<byte> bytes = stackalloc byte[length];
        RandomNumberGenerator.Fill(bytes);
        return string.Create(length, bytes.ToArray(), (chars, source) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = Alphabet[source[i] & 31];
            }
        });
    }
}
