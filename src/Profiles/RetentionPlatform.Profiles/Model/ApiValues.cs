using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using NodaTime;

namespace RetentionPlatform.Profiles.Model;

/// <summary>The value rules the Profiles API checks before anything reaches a grain, shared by REST and gRPC.</summary>
internal static partial class ApiValues
{
    public const int MaxKind = 128;
    public const int MaxMessageId = 128;
    public const int MaxReason = 500;
    public const int MaxSource = 64;
    public const int MaxLocale = 35;
    public const int MaxPersonName = 128;
    public const int MaxEmail = 254;
    public const int MaxPhone = 32;
    public const int MaxTraitName = 64;
    public const int MaxTraitText = 256;
    public const int MaxTraits = 100;
    public const int MaxExternalIds = 20;
    public const int MaxExternalSystem = 64;
    public const int MaxExternalId = 128;
    public const int MaxAlias = 300;

    /// <summary>Checks a customer id (<see cref="Tenancy.CustomerId"/>); returns false and records why when it is bad.</summary>
    public static bool CheckCustomerId(string? value, string field, FieldErrors errors)
    {
        if (Tenancy.CustomerId.Validate(value) is { } problem)
        {
            errors.Add(field, problem);
            return false;
        }

        return true;
    }

    /// <summary>Normalises <c>kind:value</c>; records why when it cannot be.</summary>
    public static string? Alias(string? alias, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(alias))
        {
            errors.Add("alias", "Give the alias as kind:value, for example email:ann@example.com, phone:+4930123456 or id:old-id.");
            return null;
        }

        if (alias.Length > MaxAlias || alias.Any(char.IsControl))
        {
            errors.Add("alias", $"An alias is at most {MaxAlias} characters without control characters.");
            return null;
        }

        var normalized = CustomerAliases.Normalize(alias);
        if (normalized is null)
        {
            errors.Add("alias", $"'{alias}' is not kind:value with a kind of email, phone or id.");
        }

        return normalized;
    }

    /// <summary>A segment id: 1-64 letters, digits, '-' or '_' (the rule <c>SegmentFields.Validate</c> applies).</summary>
    public static bool IsSegmentId(string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static bool IsTimeZone(string zone) => DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is not null;

    /// <summary>Reads <c>HH:mm</c> (00:00-23:59) as minutes after midnight.</summary>
    public static int? MinuteOfDay(string? text) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? (time.Hour * 60) + time.Minute : null;

    public static string FormatMinuteOfDay(int minute) => $"{minute / 60:00}:{minute % 60:00}";

    /// <summary>Reads a non-negative ISO 8601 duration (<c>P7D</c>, <c>PT36H</c>, <c>P1DT12H</c>, <c>PT0S</c>).</summary>
    public static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text) || !text.StartsWith('P'))
        {
            return false;
        }

        try
        {
            duration = XmlConvert.ToTimeSpan(text);
            return duration >= TimeSpan.Zero;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    public static string FormatDuration(TimeSpan duration) => XmlConvert.ToString(duration);

    /// <summary>An ISO 8601 date and time with an offset (<c>2026-11-23T10:15:00Z</c>).</summary>
    public static DateTimeOffset? Time(string? text) =>
        text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) && HasOffset(text)
            ? time.ToUniversalTime()
            : null;

    public static bool IsLocale(string text) => text.Length <= MaxLocale && LocalePattern().IsMatch(text);

    /// <summary>One '@' between a local part and a domain, no spaces; deliverability is the sender's business.</summary>
    public static bool IsEmail(string text) =>
        text.Length <= MaxEmail && text.IndexOf('@', StringComparison.Ordinal) is > 0 and var at
        && at == text.LastIndexOf('@') && at < text.Length - 1 && !text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    /// <summary>Digits with the usual separators and an optional leading plus; 3-20 digits.</summary>
    public static bool IsPhone(string text) =>
        text.Length <= MaxPhone && PhonePattern().IsMatch(text) && text.Count(char.IsAsciiDigit) is >= 3 and <= 20;

    /// <summary>Free text a person typed (names, reasons, sources): no control characters, at most <paramref name="maxLength"/>.</summary>
    public static string? TextProblem(string text, int maxLength, bool required = true)
    {
        if (required && string.IsNullOrWhiteSpace(text))
        {
            return "The value must not be empty.";
        }

        if (text.Length > maxLength)
        {
            return $"The value must be at most {maxLength} characters.";
        }

        return text.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t') ? "The value must not contain control characters." : null;
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    [GeneratedRegex("^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$", RegexOptions.CultureInvariant)]
    private static partial Regex LocalePattern();

    [GeneratedRegex(@"^\+?[0-9 ()./-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();
}
