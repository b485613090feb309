using System.Text.RegularExpressions;

namespace RetentionPlatform.Notifications.Templates;

/// <summary>Picks the locale a message is rendered in from the locales a template exists in.</summary>
public static partial class LocaleFallback
{
    private const int MaxLocaleLength = 35;

    /// <summary>
    /// Picks from <paramref name="available"/>: the requested locale (case-insensitive), then one of the same language
    /// ("de-AT" finds "de", then "de-DE"), then the tenant's default locale (exactly, then by language), then "en",
    /// then the first available. A null, empty or malformed request skips the first two steps; "_" is read as "-".
    /// </summary>
    /// <returns>The chosen entry of <paramref name="available"/> as spelled there; null only when none is available.</returns>
    public static string? Resolve(string? requested, IReadOnlyCollection<string> available, string? tenantDefaultLocale = null)
    {
        ArgumentNullException.ThrowIfNull(available);
        if (available.Count == 0)
        {
            return null;
        }

        return Match(requested, available) ?? Match(tenantDefaultLocale, available) ?? Match("en", available) ?? available.First();
    }

    /// <summary>Whether <paramref name="locale"/> looks like a BCP 47 tag: a 2-3 letter language, then subtags of 2-8 letters or digits, at most 35 characters.</summary>
    public static bool IsValidLocale(string? locale) =>
        locale is { Length: > 0 and <= MaxLocaleLength } && LocalePattern().IsMatch(locale);

    /// <summary>The language part of a locale, lower case ("de-AT" gives "de").</summary>
    internal static string LanguageOf(string locale)
    {
        var dash = locale.IndexOfAny(['-', '_']);
        return (dash < 0 ? locale : locale[..dash]).ToLowerInvariant();
    }

    private static string? Match(string? wanted, IReadOnlyCollection<string> available)
    {
        var normalised = wanted?.Trim().Replace('_', '-');
        if (!IsValidLocale(normalised))
        {
            return null;
        }

        var exact = available.FirstOrDefault(a => string.Equals(a, normalised, StringComparison.OrdinalIgnoreCase));
        if (exact is not null)
        {
            return exact;
        }

        var language = LanguageOf(normalised!);
        return available.FirstOrDefault(a => string.Equals(a, language, StringComparison.OrdinalIgnoreCase))
            ?? available.FirstOrDefault(a => IsValidLocale(a) && LanguageOf(a) == language);
    }

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", RegexOptions.CultureInvariant)]
    private static partial Regex LocalePattern();
}
