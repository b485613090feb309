using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HandlebarsDotNet;
using HandlebarsDotNet.PathStructure;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Templates;

/// <summary>
/// Validates and renders tenants' Handlebars templates. Templates see <c>customer.*</c> (<c>name</c> is first and
/// last name joined, empty when the profile has neither), <c>business.name</c>, <c>locale</c>,
/// <c>nextAppointment.at</c>/<c>.iso</c> (null without an appointment; shown in the customer's zone, UTC when the
/// zone is unknown), <c>recommendations</c>, <c>cart.*</c>, <c>data.*</c> and <c>links.*</c>, and the helpers
/// <c>{{track url}}</c> and <c>{{formatDate iso}}</c>.
/// The subject and text are rendered without HTML escaping; the HTML is escaped, then sanitised. Every result
/// carries the human and the unsubscribe link: a footer adds whichever the template left out.
/// Thread-safe; compiled templates are cached, so one instance serves the whole process.
/// </summary>
public sealed partial class TemplateRenderer
{
    /// <summary>The part names <see cref="TemplateProblem.Field"/> uses.</summary>
    internal const string SubjectField = "subject", HtmlField = "html", TextField = "text";

    internal const int MaxSubjectLength = 250;
    internal const int MaxHtmlBytes = 256 * 1024;
    internal const int MaxTextBytes = 64 * 1024;
    private const int DefaultCacheCapacity = 1024;

    private static readonly ChainSegment StateKey = ChainSegment.Create("retentionRenderState");

    private readonly IHandlebars _htmlEnvironment;
    private readonly IHandlebars _plainEnvironment;
    private readonly Lock _compileLock = new();
    private readonly EmailHtmlSanitizer _sanitizer = new();
    private readonly CompiledTemplateCache _cache;

    public TemplateRenderer()
        : this(DefaultCacheCapacity)
    {
    }

    internal TemplateRenderer(int cacheCapacity)
    {
        _htmlEnvironment = CreateEnvironment(noEscape: false);
        _plainEnvironment = CreateEnvironment(noEscape: true);
        _cache = new CompiledTemplateCache(cacheCapacity, Compile);
    }

    internal int CachedTemplates => _cache.Count;

    /// <summary>
    /// Everything wrong with a template: Handlebars syntax errors, raw output (<c>{{{</c>, <c>{{&amp;</c>), a subject
    /// over 250 characters or spanning lines, an HTML body over 256 KiB or a text over 64 KiB (UTF-8), and failures of
    /// a trial render with an empty customer (an unknown helper or partial). Empty when the template is fine.
    /// </summary>
    public IReadOnlyList<TemplateProblem> Validate(MessageTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var compiled = Compile(template);
        if (compiled.Problems.Count > 0)
        {
            return compiled.Problems;
        }

        var problems = new List<TemplateProblem>();
        var state = RenderState.For("UTC", template.Locale, trackClick: null);
        var model = TemplateModel.Build(SampleContext(template.Locale), state);
        var data = DataFor(state);
        TrialRender(SubjectField, compiled.Subject, model, data, problems);
        TrialRender(HtmlField, compiled.Html, model, data, problems);
        TrialRender(TextField, compiled.Text, model, data, problems);
        return problems;
    }

    /// <summary>Renders a template for one customer.</summary>
    /// <exception cref="TemplateRenderException">The template is invalid (see <see cref="Validate"/>) or failed while rendering.</exception>
    public RenderedMessage Render(MessageTemplate template, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(context);

        var compiled = _cache.Get(template);
        if (compiled.Problems.Count > 0)
        {
            throw new TemplateRenderException(
                $"Template '{template.TemplateId}' ({template.Locale}) is invalid: " + string.Join("; ", compiled.Problems.Select(p => $"{p.Field}: {p.Message}")),
                template.TemplateId,
                field: null,
                compiled.Problems);
        }

        var state = RenderState.For(context.TimeZone, context.Locale, context.Links.TrackClick);
        var model = TemplateModel.Build(context, state);
        var data = DataFor(state);

        var subject = OneLine(Run(template, SubjectField, compiled.Subject!, model, data));
        var html = compiled.Html is null ? null : WithHtmlFooter(Sanitize(template, Run(template, HtmlField, compiled.Html, model, data)), context.Links, state.Texts);
        var text = WithTextFooter(Run(template, TextField, compiled.Text!, model, data), context.Links, state.Texts);
        return new RenderedMessage(subject, html, text);
    }

    private static string Run(MessageTemplate template, string field, HandlebarsTemplate<object, object> part, object model, object data)
    {
        try
        {
            return part(model, data);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new TemplateRenderException(
                $"Template '{template.TemplateId}' ({template.Locale}) failed to render its {field}: {e.Message}", template.TemplateId, field, innerException: e);
        }
    }

    private string Sanitize(MessageTemplate template, string html)
    {
        try
        {
            return _sanitizer.Sanitize(html);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new TemplateRenderException(
                $"Template '{template.TemplateId}' ({template.Locale}) produced HTML that could not be sanitised: {e.Message}", template.TemplateId, HtmlField, innerException: e);
        }
    }

    private CompiledTemplate Compile(MessageTemplate template)
    {
        var problems = new List<TemplateProblem>();
        var subject = template.Subject ?? "";
        var text = template.Text ?? "";

        var trimmedSubject = subject.Trim();
        if (trimmedSubject.Length > MaxSubjectLength)
        {
            problems.Add(new(SubjectField, $"The subject is {trimmedSubject.Length} characters long; at most {MaxSubjectLength} are allowed."));
        }

        if (trimmedSubject.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            problems.Add(new(SubjectField, "The subject must be a single line (it contains a line break)."));
        }

        var htmlBytes = template.Html is null ? 0 : Encoding.UTF8.GetByteCount(template.Html);
        if (htmlBytes > MaxHtmlBytes)
        {
            problems.Add(new(HtmlField, $"The HTML body is {htmlBytes} bytes; at most {MaxHtmlBytes} (256 KiB) are allowed."));
        }

        var textBytes = Encoding.UTF8.GetByteCount(text);
        if (textBytes > MaxTextBytes)
        {
            problems.Add(new(TextField, $"The text body is {textBytes} bytes; at most {MaxTextBytes} (64 KiB) are allowed."));
        }

        var compiledSubject = CompilePart(SubjectField, subject, _plainEnvironment, problems);
        var compiledHtml = template.Html is null || htmlBytes > MaxHtmlBytes ? null : CompilePart(HtmlField, template.Html, _htmlEnvironment, problems);
        var compiledText = textBytes > MaxTextBytes ? null : CompilePart(TextField, text, _plainEnvironment, problems);
        return new CompiledTemplate(compiledSubject, compiledHtml, compiledText, problems);
    }

    private HandlebarsTemplate<object, object>? CompilePart(string field, string source, IHandlebars environment, List<TemplateProblem> problems)
    {
        if (RawOutput().IsMatch(source))
        {
            problems.Add(new(field, "Raw output ({{{ or {{&) is not allowed: raw output would bypass escaping."));
            return null;
        }

        try
        {
            // Compiling configures the environment on first use, which Handlebars.Net does not guard; misses are rare.
            lock (_compileLock)
            {
                return environment.Compile(source);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            problems.Add(new(field, $"Handlebars syntax error: {e.Message.ReplaceLineEndings(" ").Trim()}"));
            return null;
        }
    }

    private static void TrialRender(string field, HandlebarsTemplate<object, object>? part, object model, object data, List<TemplateProblem> problems)
    {
        if (part is null)
        {
            return;
        }

        try
        {
            part(model, data);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            problems.Add(new(field, $"Rendering fails: {e.Message.ReplaceLineEndings(" ").Trim()}"));
        }
    }

    private static IHandlebars CreateEnvironment(bool noEscape)
    {
        var environment = Handlebars.Create(new HandlebarsConfiguration
        {
            NoEscape = noEscape,
            FormatProvider = CultureInfo.InvariantCulture,
            ThrowOnUnresolvedBindingExpression = false,
        });
        environment.RegisterHelper("track", new HandlebarsReturnWithOptionsHelper(Track));
        environment.RegisterHelper("formatDate", new HandlebarsReturnWithOptionsHelper(FormatDate));
        return environment;
    }

    private static Dictionary<string, object?> DataFor(RenderState state) => new(StringComparer.Ordinal) { [StateKey] = state };

    private static RenderState? StateOf(in HelperOptions options) => options.Data[StateKey] as RenderState;

    private static string? TextOf(in Arguments arguments) => arguments.Length == 0 ? null : arguments[0] switch
    {
        null or UndefinedBindingResult => null,
        Uri uri => uri.IsAbsoluteUri ? uri.AbsoluteUri : uri.OriginalString,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };

    private static object Track(in HelperOptions options, in Context context, in Arguments arguments)
    {
        var url = TextOf(arguments);
        if (string.IsNullOrWhiteSpace(url) || StateOf(options)?.TrackClick is not { } trackClick)
        {
            return url ?? "";
        }

        return Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? trackClick(uri).AbsoluteUri
            : url;
    }

    private static object FormatDate(in HelperOptions options, in Context context, in Arguments arguments)
    {
        var value = arguments.Length == 0 ? null : arguments[0];
        var state = StateOf(options);
        return (value, state) switch
        {
            (DateTimeOffset at, { } s) => s.FormatInstant(NodaTime.Instant.FromDateTimeOffset(at)),
            (_, { } s) when TextOf(arguments) is { Length: > 0 } text => s.FormatTimestamp(text),
            _ => TextOf(arguments) ?? "",
        };
    }

    private static string OneLine(string subject)
    {
        var builder = new StringBuilder(subject.Length);
        foreach (var c in subject)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString().Trim();
    }

    private static string WithHtmlFooter(string html, MessageLinks links, LocaleTexts texts)
    {
        var missing = new List<(Uri Url, string Label)>(2);
        if (!ContainsLink(html, links.Human, links.TrackClick, htmlEncoded: true))
        {
            missing.Add((links.Human, texts.HumanLink));
        }

        if (!ContainsLink(html, links.Unsubscribe, links.TrackClick, htmlEncoded: true))
        {
            missing.Add((links.Unsubscribe, texts.UnsubscribeLink));
        }

        if (missing.Count == 0)
        {
            return html;
        }

        var anchors = missing.Select(m => $"<a href=\"{WebUtility.HtmlEncode(m.Url.AbsoluteUri)}\" style=\"color:#6b7280\">{WebUtility.HtmlEncode(m.Label)}</a>");
        return html + "\n<p style=\"margin-top:24px;font-size:12px;color:#6b7280\">" + string.Join(" &middot; ", anchors) + "</p>";
    }

    private static string WithTextFooter(string text, MessageLinks links, LocaleTexts texts)
    {
        var lines = new List<string>(2);
        if (!ContainsLink(text, links.Human, links.TrackClick, htmlEncoded: false))
        {
            lines.Add($"{texts.HumanLink}: {links.Human.AbsoluteUri}");
        }

        if (!ContainsLink(text, links.Unsubscribe, links.TrackClick, htmlEncoded: false))
        {
            lines.Add($"{texts.UnsubscribeLink}: {links.Unsubscribe.AbsoluteUri}");
        }

        if (lines.Count == 0)
        {
            return text;
        }

        var body = text.TrimEnd();
        return (body.Length == 0 ? "" : body + "\n\n") + string.Join('\n', lines);
    }

    /// <summary>Whether the output offers the link itself or its click-tracking wrapper (the result, not the source, decides).</summary>
    private static bool ContainsLink(string output, Uri link, Func<Uri, Uri>? trackClick, bool htmlEncoded)
    {
        if (output.Contains(Encoded(link.AbsoluteUri, htmlEncoded), StringComparison.Ordinal))
        {
            return true;
        }

        return trackClick is not null && output.Contains(Encoded(trackClick(link).AbsoluteUri, htmlEncoded), StringComparison.Ordinal);
    }

    // The sanitiser serialises attribute values and text with '&' as "&amp;", which is all a URL can contain of HTML's specials.
    private static string Encoded(string url, bool html) => html ? url.Replace("&", "&amp;", StringComparison.Ordinal) : url;

    private static RenderContext SampleContext(string locale) => new(
        new CustomerFacts("sample", null, null, null, null),
        "",
        locale,
        "UTC",
        null,
        [],
        0,
        null,
        default(JsonElement),
        new MessageLinks(new Uri("https://example.invalid/h"), new Uri("https://example.invalid/u"), null, null, null, null));

    [GeneratedRegex(@"\{\{~?\s*[{&]", RegexOptions.CultureInvariant)]
    private static partial Regex RawOutput();
}
