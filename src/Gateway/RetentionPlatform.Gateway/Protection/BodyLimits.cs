using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Yarp.ReverseProxy.Model;

namespace RetentionPlatform.Gateway.Protection;

/// <summary>
/// Refuses a body larger than its route allows with 413 before anything is proxied: from <c>Content-Length</c> at
/// once, and for a body without one (chunked) by capping what the server will read. The limit is the YARP route's
/// <c>MaxRequestBodySize</c>, or the endpoint's request-size metadata, or the server's default.
/// </summary>
public static class BodyLimits
{
    /// <summary>Bodies up to this size are read whole before they are proxied.</summary>
    public const int MaxBufferedBodyBytes = 64 * 1024;

    /// <summary>The longest path and query accepted.</summary>
    public const int MaxUrlLength = 4096;

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

            // A body sent where the route reads none is never read: close the connection after answering, so the
            // unread rest is not taken for the client's next request.
            var hasBody = context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0;
            if (hasBody && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsDelete(context.Request.Method)))
            {
                context.Response.Headers.Connection = "close";
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
                // The unread body would otherwise be taken for the next request on this connection.
                context.Response.Headers.Connection = "close";
                await GatewayErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                    $"This route accepts bodies of at most {limit.Value.ToString("N0", CultureInfo.InvariantCulture)} bytes.");
                return;
            }

            if (!feature.IsReadOnly)
            {
                feature.MaxRequestBodySize = limit;
            }

            // A small body is read whole before it is proxied. A service may answer before reading it (415, 404, an
            // early refusal); the proxy then stops sending it, and a body left half-read from the client makes the
            // server drop the keep-alive connection under the client's next request. Read whole, it cannot be.
            if (context.Request.ContentLength is > 0 and <= MaxBufferedBodyBytes && endpoint?.Metadata.GetMetadata<RouteModel>() is not null)
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
}
