using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Primitives;

namespace RetentionPlatform.Notifications.Links;

/// <summary>
/// The public pages behind the signed links in messages (<c>/m/{segment}/{token}</c>). They carry no tenant
/// authentication: the token's signature is the authorisation, and it names the tenant, message and customer.
/// </summary>
/// <remarks>
/// A GET never changes state, except for the click redirect and the open pixel, whose whole point is to be fetched:
/// mail security scanners prefetch every link in a message, so a GET that unsubscribed, cancelled or asked for a
/// person would act for a customer who never clicked. Those pages answer a form whose POST acts.
/// </remarks>
public static partial class LinkPages
{
    /// <summary>The largest request body the pages read.</summary>
    public const int MaxFormBytes = 16 * 1024;

    private const string LoggerCategory = "RetentionPlatform.Notifications.Links.LinkPages";
    private const string HtmlContentType = "text/html; charset=utf-8";
    private const string PixelSuffix = ".gif";

    // The smallest transparent 1×1 GIF89a.
    private static readonly byte[] TransparentGif = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    /// <summary>Maps the link pages under <c>/m/</c>. Needs <see cref="LinkSigner"/> and <see cref="ILinkActions"/> in DI.</summary>
    public static IEndpointRouteBuilder MapLinkPages(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // The token is the capability and is unguessable, so a cross-site form post cannot forge one; RFC 8058
        // one-click unsubscribes come from mail providers that could never present an antiforgery token.
        var pages = endpoints.MapGroup("/m")
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(MaxFormBytes))
            .AddEndpointFilter(static (context, next) =>
            {
                SetSecurityHeaders(context.HttpContext.Response.Headers);
                return next(context);
            });

        pages.MapGet("/h/{token}", ShowHuman);
        pages.MapPost("/h/{token}", RequestHumanAsync);
        pages.MapGet("/u/{token}", ShowUnsubscribe);
        pages.MapPost("/u/{token}", UnsubscribeAsync);
        pages.MapGet("/c/{token}", ClickAsync);
        pages.MapGet("/o/{file}", OpenAsync);
        pages.MapGet("/f/{token}", ShowFeedback);
        pages.MapPost("/f/{token}", SubmitFeedbackAsync);
        pages.MapGet("/x/{token}", ShowCancel);
        pages.MapPost("/x/{token}", CancelAsync);

        // Unknown segments, extra path parts and unsupported methods get the same page as a bad token.
        pages.MapFallback("{**path}", static () => InvalidLink());
        return endpoints;
    }

    private static ContentHttpResult ShowHuman(string token, [FromServices] LinkSigner signer) =>
        signer.ReadToken(token, LinkAction.Human) is null ? InvalidLink() : Html(StatusCodes.Status200OK, LinkPageHtml.HumanForm(token, null, null));

    private static async Task<IResult> RequestHumanAsync(string token, HttpContext context, [FromServices] LinkSigner signer, [FromServices] ILinkActions actions)
    {
        if (signer.ReadToken(token, LinkAction.Human) is not { } claims)
        {
            return InvalidLink();
        }

        var (form, refusal) = await ReadFormAsync(context);
        if (form is null)
        {
            return refusal!;
        }

        var reason = OptionalText(form["reason"]);
        if (reason?.Length > LinkPageHtml.MaxReasonLength)
        {
            var error = $"Please keep your message to {LinkPageHtml.MaxReasonLength} characters or fewer.";
            return Html(StatusCodes.Status400BadRequest, LinkPageHtml.HumanForm(token, reason, error));
        }

        return await ActAsync(context, claims, async cancellationToken =>
        {
            await actions.RequestHumanAsync(claims, reason, cancellationToken);
            return Html(StatusCodes.Status200OK, LinkPageHtml.HumanDone());
        });
    }

    private static ContentHttpResult ShowUnsubscribe(string token, [FromServices] LinkSigner signer) =>
        signer.ReadToken(token, LinkAction.Unsubscribe) is { } claims
            ? Html(StatusCodes.Status200OK, LinkPageHtml.UnsubscribeForm(token, claims))
            : InvalidLink();

    // Serves both the page's button and RFC 8058 one-click (body "List-Unsubscribe=One-Click"): any form POST unsubscribes.
    private static async Task<IResult> UnsubscribeAsync(string token, HttpContext context, [FromServices] LinkSigner signer, [FromServices] ILinkActions actions)
    {
        if (signer.ReadToken(token, LinkAction.Unsubscribe) is not { } claims)
        {
            return InvalidLink();
        }

        var (form, refusal) = await ReadFormAsync(context);
        if (form is null)
        {
            return refusal!;
        }

        return await ActAsync(context, claims, async cancellationToken =>
        {
            await actions.UnsubscribeAsync(claims, cancellationToken);
            return Html(StatusCodes.Status200OK, LinkPageHtml.UnsubscribeDone(claims));
        });
    }

    private static async Task<IResult> ClickAsync(string token, HttpContext context, [FromServices] LinkSigner signer, [FromServices] ILinkActions actions)
    {
        if (signer.ReadToken(token, LinkAction.Click) is not { } claims)
        {
            return InvalidLink();
        }

        // The target was signed with the token, so redirecting to it is not an open redirect.
        if (!Uri.TryCreate(claims.Target, UriKind.Absolute, out var target) || (target.Scheme != Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttp))
        {
            return Html(StatusCodes.Status400BadRequest, LinkPageHtml.ClickTargetInvalid());
        }

        // Tracking is secondary: a customer who clicked still reaches the page when the click cannot be recorded.
        await TryRecordAsync(context, claims, cancellationToken => actions.RecordClickAsync(claims, cancellationToken));
        return TypedResults.Redirect(AsciiLocation(target));
    }

    private static async Task<IResult> OpenAsync(string file, HttpContext context, [FromServices] LinkSigner signer, [FromServices] ILinkActions actions)
    {
        if (!file.EndsWith(PixelSuffix, StringComparison.Ordinal))
        {
            return InvalidLink();
        }

        // An invalid token still gets the image: a broken image in a customer's mail helps nobody.
        if (signer.ReadToken(file[..^PixelSuffix.Length], LinkAction.Open) is { } claims)
        {
            await TryRecordAsync(context, claims, cancellationToken => actions.RecordOpenAsync(claims, cancellationToken));
        }

        return TypedResults.File(TransparentGif, "image/gif");
    }

    private static ContentHttpResult ShowFeedback(string token, [FromServices] LinkSigner signer) =>
        signer.ReadToken(token, LinkAction.Feedback) is null ? InvalidLink() : Html(StatusCodes.Status200OK, LinkPageHtml.FeedbackForm(token, null, null, null));

    private static async Task<IResult> SubmitFeedbackAsync(string token, HttpContext context, [FromServices] LinkSigner signer, [FromServices] ILinkActions actions)
    {
        if (signer.ReadToken(token, LinkAction.Feedback) is not { } claims)
        {
            return InvalidLink();
        }

        var (form, refusal) = await ReadFormAsync(context);
        if (form is null)
        {
            return refusal!;
        }

        var comment = OptionalText(form["comment"]);
        var scoreValues = form["score"];
        int? score = scoreValues.Count == 1
            && int.TryParse(scoreValues[0], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            && parsed is >= 1 and <= 5
                ? parsed
                : null;
        var error = score is null ? "Please choose a rating from 1 to 5."
            : comment?.Length > LinkPageHtml.MaxCommentLength ? "Please keep your comment to 2,000 characters or fewer."
            : null;
        if (error is not null)
        {
            return Html(StatusCodes.Status400BadRequest, LinkPageHtml.FeedbackForm(token, score, comment, error));
        }

        return await ActAsync(context, claims, async cancellationToken =>
        {
            await actions.SubmitFeedbackAsync(claims, score!.Value, comment, cancellationToken);
            return Html(StatusCodes.Status200OK, LinkPageHtml.FeedbackDone());
        });
    }

    private static ContentHttpResult ShowCancel(string token, [FromServices] LinkSigner signer) =>
        ReadCancel(signer, token) is null ? InvalidLink() : Html(StatusCodes.Status200OK, LinkPageHtml.CancelForm(token));

    private static async Task<IResult> CancelAsync(string token, HttpContext context, [FromServices] LinkSigner signer, [FromServices] ILinkActions actions)
    {
        if (ReadCancel(signer, token) is not { } claims)
        {
            return InvalidLink();
        }

        var (form, refusal) = await ReadFormAsync(context);
        if (form is null)
        {
            return refusal!;
        }

        return await ActAsync(context, claims, async cancellationToken =>
        {
            var refused = await actions.CancelAppointmentAsync(claims, cancellationToken);
            return refused is null
                ? Html(StatusCodes.Status200OK, LinkPageHtml.CancelDone())
                : Html(StatusCodes.Status409Conflict, LinkPageHtml.CancelRefused(refused));
        });
    }

    // A cancel link names its appointment in the target; one without is no use to anybody.
    private static LinkClaims? ReadCancel(LinkSigner signer, string token) =>
        signer.ReadToken(token, LinkAction.Cancel) is { Target: { } target } claims && !string.IsNullOrWhiteSpace(target) ? claims : null;

    private static async Task<(IFormCollection? Form, IResult? Refusal)> ReadFormAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            return (null, Html(StatusCodes.Status415UnsupportedMediaType, LinkPageHtml.BadRequest("Please use the button on the page.")));
        }

        try
        {
            return (await context.Request.ReadFormAsync(context.RequestAborted), null);
        }
        catch (BadHttpRequestException exception)
        {
            // Kestrel's body limit (413) or a malformed body (400).
            return (null, Html(exception.StatusCode, LinkPageHtml.BadRequest("The form could not be read. Please use the button on the page.")));
        }
        catch (InvalidDataException)
        {
            return (null, Html(StatusCodes.Status400BadRequest, LinkPageHtml.BadRequest("The form could not be read. Please use the button on the page.")));
        }
    }

    private static async Task<IResult> ActAsync(HttpContext context, LinkClaims claims, Func<CancellationToken, Task<IResult>> act)
    {
        try
        {
            return await act(context.RequestAborted);
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            LinkActionFailed(Logger(context), exception, claims.Action, claims.MessageId, claims.TenantId);
            return Html(StatusCodes.Status503ServiceUnavailable, LinkPageHtml.Unavailable());
        }
    }

    private static async Task TryRecordAsync(HttpContext context, LinkClaims claims, Func<CancellationToken, Task> record)
    {
        try
        {
            await record(context.RequestAborted);
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            LinkActionFailed(Logger(context), exception, claims.Action, claims.MessageId, claims.TenantId);
        }
    }

    // Browsers submit a textarea's line breaks as CRLF but count them as one character against maxlength.
    private static string? OptionalText(StringValues values)
    {
        var text = values.Count == 0 ? null : string.Join('\n', values.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    // Kestrel refuses non-ASCII response headers; an internationalised host must travel as punycode.
    private static string AsciiLocation(Uri target) =>
        target.Host == target.IdnHost ? target.AbsoluteUri : new UriBuilder(target) { Host = target.IdnHost }.Uri.AbsoluteUri;

    private static void SetSecurityHeaders(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
    }

    private static ContentHttpResult InvalidLink() => Html(StatusCodes.Status404NotFound, LinkPageHtml.InvalidLink());

    private static ContentHttpResult Html(int statusCode, string html) => TypedResults.Content(html, HtmlContentType, statusCode: statusCode);

    private static ILogger Logger(HttpContext context) => context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory);

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "The {Action} link of message {MessageId} (tenant {TenantId}) could not be handled.")]
    private static partial void LinkActionFailed(ILogger logger, Exception exception, LinkAction action, Guid messageId, string tenantId);
}
