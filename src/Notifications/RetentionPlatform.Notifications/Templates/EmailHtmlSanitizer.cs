using System.Collections.Concurrent;
using System.Net;
using AngleSharp;
using AngleSharp.Html.Parser;
using Ganss.Xss;

namespace RetentionPlatform.Notifications.Templates;

/// <summary>
/// Sanitises email bodies with one configured <see cref="HtmlSanitizer"/>: the library's defaults (tables, inline
/// styles, no script, no event handlers) with mailto links, and only absolute URLs, since a relative one means nothing
/// in a mailbox. Thread-safe.
/// </summary>
/// <remarks>
/// Parsing inline CSS is most of the sanitiser's cost (about four fifths for a typical 2 KB email with a dozen
/// style attributes), yet the styles of a template are the same in every message. So the style attributes are
/// taken off before the document is sanitised and put back afterwards in their sanitised form, each distinct style
/// sanitised once by the same sanitiser on an element of its own. The document itself is parsed without CSS support
/// (otherwise the parser would already parse every style attribute), with the sanitiser's own parser options.
/// </remarks>
internal sealed class EmailHtmlSanitizer
{
    private const string StyleAttribute = "style";
    private const int MaxCachedStyles = 4096;

    private static readonly HtmlParser ParserWithoutCss = new(new HtmlParserOptions { IsScripting = true }, BrowsingContext.New(Configuration.Default));

    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();
    private readonly ConcurrentDictionary<string, string?> _sanitizedStyles = new(StringComparer.Ordinal);

    public string Sanitize(string html)
    {
        using var document = ParserWithoutCss.ParseDocument("<!doctype html><html><body>" + html);
        if (document.Body is not { } body)
        {
            return "";
        }

        var styled = body.QuerySelectorAll("[style]").Select(e => (Element: e, Style: e.GetAttribute(StyleAttribute) ?? "")).ToList();
        foreach (var (element, _) in styled)
        {
            element.RemoveAttribute(StyleAttribute);
        }

        _sanitizer.SanitizeDom(document, body);

        foreach (var (element, style) in styled)
        {
            if (SanitizedStyle(style) is { Length: > 0 } safe)
            {
                element.SetAttribute(StyleAttribute, safe);
            }
        }

        return body.ChildNodes.ToHtml(_sanitizer.OutputFormatter);
    }

    private string? SanitizedStyle(string style)
    {
        if (string.IsNullOrWhiteSpace(style))
        {
            return null;
        }

        if (_sanitizedStyles.TryGetValue(style, out var cached))
        {
            return cached;
        }

        using var probe = _sanitizer.SanitizeDom($"<span style=\"{WebUtility.HtmlEncode(style)}\"></span>");
        var sanitized = probe.Body?.FirstElementChild?.GetAttribute(StyleAttribute);

        // Styles built from per-customer data would grow the cache without bound; past the cap they are sanitised each time.
        if (_sanitizedStyles.Count < MaxCachedStyles)
        {
            _sanitizedStyles.TryAdd(style, sanitized);
        }

        return sanitized;
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add(Uri.UriSchemeHttp);
        sanitizer.AllowedSchemes.Add(Uri.UriSchemeHttps);
        sanitizer.AllowedSchemes.Add(Uri.UriSchemeMailto);
        sanitizer.FilterUrl += (_, e) =>
        {
            if (e.SanitizedUrl is null)
            {
                return;
            }

            var isImage = string.Equals(e.Tag?.LocalName, "img", StringComparison.OrdinalIgnoreCase);
            var allowed = Uri.TryCreate(e.SanitizedUrl, UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || (!isImage && uri.Scheme == Uri.UriSchemeMailto));
            if (!allowed)
            {
                e.SanitizedUrl = null;
            }
        };
        return sanitizer;
    }
}
