using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Links;

/// <summary>
/// Makes and checks the signed tokens of the links in messages. A token is
/// <c>base64url(payload) "." base64url(HMAC-SHA256(key, payload)[..16])</c>; the payload is a small binary record
/// (version, action, channel, purpose, issued-at, message id, tenant, customer, target). The signature is the only
/// authorisation the public link pages have, so a token that is not byte for byte one this signer made is refused.
/// </summary>
/// <remarks>
/// The payload is signed, not encrypted: whoever holds a link can read the tenant, message and customer ids in it
/// (the same people who can read the message).
/// </remarks>
public sealed class LinkSigner
{
    /// <summary>The longest token <see cref="ReadToken"/> looks at; longer input is refused without decoding.</summary>
    public const int MaxTokenLength = 4096;

    /// <summary>The smallest key accepted, in bytes.</summary>
    public const int MinKeyBytes = 32;

    internal const byte Version = 1;
    internal const int SignatureBytes = 16;

    private const int UnsubscribeAndHumanLifetimeDays = 400;
    private const int ClickAndOpenLifetimeDays = 180;
    private const int FeedbackLifetimeDays = 60;
    private const int CancelLifetimeDays = 60;
    private const int MaxIdBytes = byte.MaxValue;
    private const int FixedPayloadBytes = 1 + 1 + 1 + 1 + 8 + 16;

    // A signer whose clock ran far ahead would mint links that outlive their lifetime; a little skew between replicas is normal.
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromHours(1);

    private static readonly int MaxPayloadBytes = Base64Url.GetMaxDecodedLength(MaxTokenLength - 1 - Base64Url.GetEncodedLength(SignatureBytes));

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _key;
    private readonly TimeProvider _time;

    /// <summary>Creates a signer.</summary>
    /// <param name="key">The link key (at least <see cref="MinKeyBytes"/> bytes), derived from the service's master secret.</param>
    /// <param name="time">The clock that decides whether a token has expired.</param>
    public LinkSigner(byte[] key, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(time);
        if (key.Length < MinKeyBytes)
        {
            throw new ArgumentException($"The link key must have at least {MinKeyBytes} bytes.", nameof(key));
        }

        _key = (byte[])key.Clone();
        _time = time;
    }

    /// <summary>How long a link of this kind stays valid after it was issued.</summary>
    public static TimeSpan LifetimeOf(LinkAction action) => action switch
    {
        LinkAction.Human or LinkAction.Unsubscribe => TimeSpan.FromDays(UnsubscribeAndHumanLifetimeDays),
        LinkAction.Click or LinkAction.Open => TimeSpan.FromDays(ClickAndOpenLifetimeDays),
        LinkAction.Feedback => TimeSpan.FromDays(FeedbackLifetimeDays),
        LinkAction.Cancel => TimeSpan.FromDays(CancelLifetimeDays),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown link action."),
    };

    /// <summary>The path segment of a link's page: <c>h</c>, <c>u</c>, <c>c</c>, <c>o</c>, <c>f</c> or <c>x</c>.</summary>
    public static string Segment(LinkAction action) => action switch
    {
        LinkAction.Human => "h",
        LinkAction.Unsubscribe => "u",
        LinkAction.Click => "c",
        LinkAction.Open => "o",
        LinkAction.Feedback => "f",
        LinkAction.Cancel => "x",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown link action."),
    };

    /// <summary>Signs the claims into a URL-safe token (at most <see cref="MaxTokenLength"/> characters).</summary>
    /// <exception cref="ArgumentException">An id is empty or longer than 255 UTF-8 bytes, an enum value is unknown, or the target makes the token too long.</exception>
    public string CreateToken(LinkClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var payload = Encode(claims);
        Span<byte> signature = stackalloc byte[SignatureBytes];
        Sign(payload, signature);
        return string.Concat(Base64Url.EncodeToString(payload), ".", Base64Url.EncodeToString(signature));
    }

    /// <summary>Signs the claims into the link <c>{publicBaseUrl}m/{segment}/{token}</c> (the open pixel ends in <c>.gif</c>).</summary>
    public Uri CreateUrl(Uri publicBaseUrl, LinkClaims claims)
    {
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        ArgumentNullException.ThrowIfNull(claims);
        if (!publicBaseUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The public base URL must be absolute.", nameof(publicBaseUrl));
        }

        // Without the trailing slash, relative resolution would drop the base's last path segment (a path prefix).
        var root = publicBaseUrl.AbsoluteUri.EndsWith('/') ? publicBaseUrl : new Uri(publicBaseUrl.AbsoluteUri + "/");
        var suffix = claims.Action == LinkAction.Open ? ".gif" : string.Empty;
        return new Uri(root, $"m/{Segment(claims.Action)}/{CreateToken(claims)}{suffix}");
    }

    /// <summary>
    /// Checks a token: null when it is malformed, its signature is wrong, it is for another action, or it has expired.
    /// Never throws on any input.
    /// </summary>
    public LinkClaims? ReadToken(string? token, LinkAction expected)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return null;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot != token.LastIndexOf('.') || token.Length - dot - 1 != Base64Url.GetEncodedLength(SignatureBytes))
        {
            return null;
        }

        var payloadText = token.AsSpan(0, dot);
        var signatureText = token.AsSpan(dot + 1);
        Span<byte> payloadBuffer = stackalloc byte[MaxPayloadBytes];
        Span<byte> presented = stackalloc byte[SignatureBytes];
        if (!TryDecodeCanonical(payloadText, payloadBuffer, out var payloadLength)
            || !TryDecodeCanonical(signatureText, presented, out var signatureLength)
            || signatureLength != SignatureBytes)
        {
            return null;
        }

        var payload = payloadBuffer[..payloadLength];
        Span<byte> computed = stackalloc byte[SignatureBytes];
        Sign(payload, computed);
        if (!CryptographicOperations.FixedTimeEquals(computed, presented))
        {
            return null;
        }

        var claims = Decode(payload);
        if (claims is null || claims.Action != expected)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        if (claims.IssuedAt > now + MaxClockSkew || now - claims.IssuedAt > LifetimeOf(claims.Action))
        {
            return null;
        }

        return claims;
    }

    private void Sign(ReadOnlySpan<byte> payload, Span<byte> signature)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, payload, mac);
        mac[..SignatureBytes].CopyTo(signature);
    }

    // The base64url decoder skips whitespace and accepts padding, so the same bytes have several spellings; accepting
    // only the one this signer writes makes every changed character a refused token.
    private static bool TryDecodeCanonical(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        // A length of 4n+1 is never valid base64; TryDecodeFromChars throws on it instead of answering false.
        if (text.Length % 4 == 1
            || Base64Url.GetMaxDecodedLength(text.Length) > destination.Length
            || Base64Url.DecodeFromChars(text, destination, out var consumed, out written) != OperationStatus.Done
            || consumed != text.Length)
        {
            return false;
        }

        Span<char> again = stackalloc char[text.Length];
        return Base64Url.TryEncodeToChars(destination[..written], again, out var charsWritten)
            && again[..charsWritten].SequenceEqual(text);
    }

    private static byte[] Encode(LinkClaims claims)
    {
        if (!Enum.IsDefined(claims.Action) || !Enum.IsDefined(claims.Channel) || !Enum.IsDefined(claims.Purpose))
        {
            throw new ArgumentException("The claims name an unknown action, channel or purpose.", nameof(claims));
        }

        var tenant = EncodeId(claims.TenantId, nameof(LinkClaims.TenantId));
        var customer = EncodeId(claims.CustomerId, nameof(LinkClaims.CustomerId));
        var target = claims.Target is null ? null : Encoding.UTF8.GetBytes(claims.Target);
        var length = FixedPayloadBytes + 1 + tenant.Length + 1 + customer.Length + 2 + (target?.Length ?? 0);
        if (length > MaxPayloadBytes)
        {
            throw new ArgumentException($"The link target is too long for a token of at most {MaxTokenLength} characters.", nameof(claims));
        }

        var payload = new byte[length];
        var span = payload.AsSpan();
        span[0] = Version;
        span[1] = (byte)claims.Action;
        span[2] = (byte)claims.Channel;
        span[3] = (byte)claims.Purpose;
        BinaryPrimitives.WriteInt64BigEndian(span[4..], claims.IssuedAt.ToUnixTimeSeconds());
        claims.MessageId.TryWriteBytes(span.Slice(12, 16), bigEndian: true, out _);
        var position = FixedPayloadBytes;
        position = WriteShort(span, position, tenant);
        position = WriteShort(span, position, customer);
        // Length + 1, so that 0 can mean "no target" and an empty target survives the round trip.
        BinaryPrimitives.WriteUInt16BigEndian(span[position..], (ushort)(target is null ? 0 : target.Length + 1));
        target?.CopyTo(span[(position + 2)..]);
        return payload;
    }

    private static byte[] EncodeId(string id, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(id, name);
        var bytes = Encoding.UTF8.GetBytes(id);
        if (bytes.Length > MaxIdBytes)
        {
            throw new ArgumentException($"{name} must be at most {MaxIdBytes} UTF-8 bytes.", name);
        }

        return bytes;
    }

    private static int WriteShort(Span<byte> span, int position, byte[] value)
    {
        span[position] = (byte)value.Length;
        value.CopyTo(span[(position + 1)..]);
        return position + 1 + value.Length;
    }

    // Only reached with a valid signature, so only with payloads a signer wrote; still strict, in case a future
    // version's payload meets this reader.
    private static LinkClaims? Decode(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < FixedPayloadBytes + 4 || payload[0] != Version)
        {
            return null;
        }

        var action = (LinkAction)payload[1];
        var channel = (NotificationChannel)payload[2];
        var purpose = (NotificationPurpose)payload[3];
        var seconds = BinaryPrimitives.ReadInt64BigEndian(payload[4..]);
        if (!Enum.IsDefined(action) || !Enum.IsDefined(channel) || !Enum.IsDefined(purpose)
            || seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return null;
        }

        var messageId = new Guid(payload.Slice(12, 16), bigEndian: true);
        var rest = payload[FixedPayloadBytes..];
        if (!TryReadShort(ref rest, out var tenant) || !TryReadShort(ref rest, out var customer) || rest.Length < 2)
        {
            return null;
        }

        var targetLength = BinaryPrimitives.ReadUInt16BigEndian(rest);
        rest = rest[2..];
        string? target = null;
        if (targetLength > 0)
        {
            if (rest.Length != targetLength - 1 || !TryGetString(rest, out target))
            {
                return null;
            }
        }
        else if (!rest.IsEmpty)
        {
            return null;
        }

        return new LinkClaims(action, tenant, messageId, customer, channel, purpose, target, DateTimeOffset.FromUnixTimeSeconds(seconds));
    }

    private static bool TryReadShort(ref ReadOnlySpan<byte> rest, out string value)
    {
        value = string.Empty;
        if (rest.IsEmpty || rest[0] == 0 || rest.Length < 1 + rest[0] || !TryGetString(rest.Slice(1, rest[0]), out var text))
        {
            return false;
        }

        value = text;
        rest = rest[(1 + rest[0])..];
        return true;
    }

    private static bool TryGetString(ReadOnlySpan<byte> bytes, out string value)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            value = string.Empty;
            return false;
        }

        value = StrictUtf8.GetString(bytes);
        return true;
    }
}
