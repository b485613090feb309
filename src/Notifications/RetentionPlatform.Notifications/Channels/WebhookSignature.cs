using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RetentionPlatform.Notifications.Channels;

/// <summary>
/// The signature on every webhook request, so a partner can tell it comes from us and was not replayed.
/// </summary>
/// <remarks>
/// <para>Each request carries <c>X-Retention-Signature: t={timestamp},v1={signature}</c>, where <c>timestamp</c> is the
/// send time in Unix seconds and <c>signature</c> is the lowercase hexadecimal HMAC-SHA256, keyed with the UTF-8 bytes
/// of the webhook secret, of the UTF-8 bytes of <c>"{timestamp}."</c> followed by the raw request body exactly as
/// received (before any JSON parsing).</para>
/// <para>To verify: split the header on <c>,</c> into <c>key=value</c> pairs; take <c>t</c> and every <c>v1</c>
/// (more than one may appear while a secret is rotated); reject a timestamp further than a tolerance from your clock
/// (five minutes is usual); recompute the HMAC and compare it in constant time with each <c>v1</c>; accept when one
/// matches. Unknown keys are ignored. The <c>Idempotency-Key</c> header (the message id) lets a receiver drop
/// repeats, which happen when an answer is lost and the delivery is retried.</para>
/// </remarks>
public static class WebhookSignature
{
    /// <summary>The request header that carries the signature.</summary>
    public const string HeaderName = "X-Retention-Signature";

    private const int SignatureLength = 32;

    /// <summary>The header value for <paramref name="body"/> sent at <paramref name="timestamp"/> (whole seconds count).</summary>
    public static string Sign(string secret, DateTimeOffset timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var seconds = timestamp.ToUnixTimeSeconds();
        Span<byte> mac = stackalloc byte[SignatureLength];
        Compute(secret, seconds, body, mac);
        return string.Create(CultureInfo.InvariantCulture, $"t={seconds},v1={Convert.ToHexStringLower(mac)}");
    }

    /// <summary>The header value for a body given as text (signed as its UTF-8 bytes).</summary>
    public static string Sign(string secret, DateTimeOffset timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Sign(secret, timestamp, Encoding.UTF8.GetBytes(body));
    }

    /// <summary>
    /// Whether <paramref name="header"/> is a valid signature of <paramref name="body"/> with <paramref name="secret"/>,
    /// made no further than <paramref name="tolerance"/> from <paramref name="now"/>.
    /// </summary>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        long? seconds = null;
        var candidates = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                continue;
            }

            var key = part[..separator];
            var value = part[(separator + 1)..];
            if (key == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                seconds = parsed;
            }
            else if (key == "v1" && value.Length == SignatureLength * 2)
            {
                var candidate = new byte[SignatureLength];
                if (Convert.FromHexString(value, candidate, out _, out var written) == OperationStatus.Done && written == SignatureLength)
                {
                    candidates.Add(candidate);
                }
            }
        }

        if (seconds is not { } signedAt || candidates.Count == 0 || Math.Abs(now.ToUnixTimeSeconds() - signedAt) > tolerance.TotalSeconds)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[SignatureLength];
        Compute(secret, signedAt, body, expected);
        var matched = false;
        foreach (var candidate in candidates)
        {
            matched |= CryptographicOperations.FixedTimeEquals(expected, candidate);
        }

        return matched;
    }

    /// <summary>Verifies a body given as text (its UTF-8 bytes).</summary>
    public static bool Verify(string secret, string? header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Verify(secret, header, Encoding.UTF8.GetBytes(body), now, tolerance);
    }

    private static void Compute(string secret, long seconds, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{seconds}.")));
        hmac.AppendData(body);
        hmac.GetHashAndReset(destination);
    }
}
