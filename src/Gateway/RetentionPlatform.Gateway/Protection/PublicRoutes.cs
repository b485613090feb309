using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace RetentionPlatform.Gateway.Protection;

/// <summary>
/// Routes customers reach without an API key (<c>"AuthorizationPolicy": "anonymous"</c> in gateway.routes.json): the
/// Notifications service's link pages, whose signed token is the authorisation. No tenant is passed on for them (not even
/// that of a key a caller happens to send), no Idempotency-Key is processed, and their rate limit is per client address
/// (<see cref="RateLimiterPolicy"/>), never a tenant's.
/// </summary>
public static class PublicRoutes
{
    /// <summary>YARP's reserved policy name for a route that allows anonymous callers.</summary>
    public const string AuthorizationPolicy = "anonymous";

    /// <summary>The named rate limiter policy of the public routes: a token bucket per client address.</summary>
    public const string RateLimiterPolicy = "public-links";

    /// <summary>Whether the request was routed to a public route.</summary>
    public static bool IsPublicRoute(this HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config is { } route && IsPublic(route);

    /// <summary>Whether the route allows anonymous callers.</summary>
    public static bool IsPublic(RouteConfig route) =>
        string.Equals(route.AuthorizationPolicy, AuthorizationPolicy, StringComparison.OrdinalIgnoreCase);
}
