using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Yarp.ReverseProxy.Model;

namespace RetentionPlatform.Gateway.Protection;

/// <summary>
/// What the gateway takes of a request body. A GET or HEAD carries none: one that announces a body is refused with 400
/// before anything reads it. Any other body larger than its route allows is refused with 413: from <c>Content-Length</c>
/// at once, and a body without one (chunked) when the count of what was read passes the limit. The limit is the YARP
/// route's <c>MaxRequestBodySize</c>, or the endpoint's request-size metadata, or the server's default.
/// </summary>
/// <remarks>
/// A client must not be left uploading into a connection the server has closed: it would see a reset instead of the
/// answer. A body refused before it is read is never asked for: the server sends <c>100 Continue</c> only when something
/// reads the body, so a client that waits for it (curl, HttpClient) does not send the body at all. Whatever a client
/// sends anyway, or still sends after a 413 that came mid-body, the server reads and discards once the answer is out (up
/// to <see cref="MaxDrainedBodyBytes"/>, for at most 5 s); the answer says <c>Connection: close</c>, and the connection
/// then ends in order.
/// </remarks>
public static class BodyLimits
{
    /// <summary>Bodies up to this size are read whole before they are proxied.</summary>
    public const int MaxBufferedBodyBytes = 64 * 1024;

    /// <summary>The longest path and query accepted.</summary>
    public const int MaxUrlLength = 4096;

    /// <summary>
    /// How much of a body the gateway answers without reading (past the route's limit, for a chunked one) the server still
    /// reads and discards after the answer; a client that sends more has the connection closed under its upload.
    /// </summary>
    public const long MaxDrainedBodyBytes = 1024 * 1024;

    public static IApplicationBuilder UseBodyLimits(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            // No partner URL comes near this (ids are at most 128 characters); a longer one is refused here, in the
            // same shape as every other error, instead of failing somewhere behind the gateway.
            if (context.Request.Path.Value?.Length + context.Request.QueryString.Value?.Length > MaxUrlLength)
            {
                await GatewayErrors.WriteAsync(context, StatusCodes.Status414UriTooLong, "URL too long", $"A request URL may be at most {MaxUrlLength} characters.");
                return;
            }

            // A body on a GET or HEAD means nothing, and no route reads one. Refused before anything reads it, it is never
            // asked for (100 Continue), so a client that waits to be asked never sends it. Passed on, it was read up to
            // the server's limit and the connection closed under the rest of the upload: a reset instead of an answer.
            // A DELETE's body is passed on like any other, within its route's limit.
            if (HasBody(context.Request) && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
            {
                await GatewayErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "Body not allowed",
                    $"A {context.Request.Method} request carries no body: send it without one.");
                return;
            }

            var endpoint = context.GetEndpoint();
            var limit = endpoint?.Metadata.GetMetadata<RouteModel>()?.Config.MaxRequestBodySize
                ?? endpoint?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
            var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (limit is null or < 0 || feature is null)
            {
                await next(context);
                return;
            }

            if (context.Request.ContentLength > limit)
            {
                await GatewayErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                    $"This route accepts bodies of at most {limit.Value.ToString("N0", CultureInfo.InvariantCulture)} bytes.");
                return;
            }

            var proxied = endpoint?.Metadata.GetMetadata<RouteModel>() is not null;
            if (!feature.IsReadOnly)
            {
                feature.MaxRequestBodySize = limit;
                if (proxied && context.Request.ContentLength is null && context.Request.Headers.TransferEncoding.Count > 0)
                {
                    CapChunkedBody(context, feature, limit.Value);
                }
            }

            // A small body is read whole before it is proxied. A service may answer before reading it (415, 404, an
            // early refusal); the proxy then stops sending it, and a body left half-read from the client makes the
            // server drop the keep-alive connection under the client's next request. Read whole, it cannot be.
            if (context.Request.ContentLength is > 0 and <= MaxBufferedBodyBytes && proxied)
            {
                context.Request.EnableBuffering(bufferThreshold: MaxBufferedBodyBytes);
                try
                {
                    await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
                }
                catch (BadHttpRequestException ex)
                {
                    // A body that ends before its Content-Length, or a client that broke off: its fault.
                    context.Response.Headers.Connection = "close";
                    await GatewayErrors.WriteAsync(context, ex.StatusCode, "Unreadable body", $"The request body could not be read: {ex.Message}");
                    return;
                }

                context.Request.Body.Position = 0;
            }

            await next(context);
        });

    /// <summary>
    /// Lets the server read and discard up to <see cref="MaxDrainedBodyBytes"/> of a body the gateway answers without
    /// reading, so a client that sends it anyway reads the answer and an orderly close, not a reset. The caller says
    /// <c>Connection: close</c>.
    /// </summary>
    internal static void DrainWhatIsSentAnyway(HttpContext context)
    {
        if (HasBody(context.Request) && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = MaxDrainedBodyBytes;
        }
    }

    private static bool HasBody(HttpRequest request) => request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;

    /// <summary>
    /// The gateway counts a proxied chunked body against the route's limit itself (413 past it) and leaves the server
    /// room to drain what follows. An answer that leaves part of the body unread says <c>Connection: close</c>: the
    /// server drains the rest, and closes the connection after it. (The gateway's own endpoints, the admin API, keep the
    /// server's limit: their request-size metadata is applied once more when they run.)
    /// </summary>
    private static void CapChunkedBody(HttpContext context, IHttpMaxRequestBodySizeFeature feature, long limit)
    {
        feature.MaxRequestBodySize = limit + MaxDrainedBodyBytes;
        context.Features.Set<IHttpMaxRequestBodySizeFeature>(new SettledBodySize(limit));
        var body = new CappedRequestBody(context.Request.Body, limit);
        context.Request.Body = body;
        context.Response.OnStarting(() =>
        {
            if (!body.ReachedEnd)
            {
                context.Response.Headers.Connection = "close";
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// A chunked body's limit once the gateway has settled it: read-only, so the proxy and the endpoint, which apply
    /// the same route limit later, leave the server the room to drain past it. What may be read is the route's limit.
    /// </summary>
    private sealed class SettledBodySize(long limit) : IHttpMaxRequestBodySizeFeature
    {
        public bool IsReadOnly => true;

        public long? MaxRequestBodySize
        {
            get => limit;
            set => throw new InvalidOperationException("The gateway has already settled this request's body size limit.");
        }
    }
}
