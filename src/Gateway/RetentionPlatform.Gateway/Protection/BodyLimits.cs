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
    public static IApplicationBuilder UseBodyLimits(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
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

            if (!feature.IsReadOnly)
            {
                feature.MaxRequestBodySize = limit;
            }

            await next(context);
        });
}
