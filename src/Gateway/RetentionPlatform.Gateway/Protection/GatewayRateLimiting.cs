using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using RetentionPlatform.Gateway.Authentication;
using RetentionPlatform.Gateway.Infrastructure;

namespace RetentionPlatform.Gateway.Protection;

/// <summary>One token bucket: a steady rate and a burst.</summary>
public sealed class RateLimitSettings
{
    public int PermitsPerSecond { get; set; }

    public int Burst { get; set; }
}

/// <summary>
/// The gateway's default limits (<c>Gateway:RateLimits</c>). A tenant's own limit (set through the admin API)
/// replaces <see cref="Tenant"/>; a key's own limit applies on top of its tenant's.
/// </summary>
public sealed class GatewayRateLimitOptions
{
    /// <summary>Every tenant's requests together, unless the tenant has its own limit.</summary>
    public RateLimitSettings Tenant { get; set; } = new() { PermitsPerSecond = 500, Burst = 1000 };

    /// <summary>Requests without a valid API key, per client address (they are refused anyway; this slows guessing).</summary>
    public RateLimitSettings Anonymous { get; set; } = new() { PermitsPerSecond = 50, Burst = 100 };

    /// <summary>
    /// The public link pages (<see cref="PublicRoutes"/>), per client address: about 60 a minute with a burst of 60, ample
    /// for a person clicking through emails (an opened email loads one pixel) and slow for anyone guessing tokens.
    /// </summary>
    public RateLimitSettings PublicLinks { get; set; } = new() { PermitsPerSecond = 1, Burst = 60 };
}

/// <summary>
/// Per-tenant and per-key rate limits as chained token buckets, keyed by what authentication found. A refusal is a
/// 429 ProblemDetails with <c>Retry-After</c> in whole seconds.
/// </summary>
public static class GatewayRateLimiting
{
    public static IServiceCollection AddGatewayRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Gateway:RateLimits").Get<GatewayRateLimitOptions>() ?? new GatewayRateLimitOptions();
        services.AddRateLimiter(limiter =>
        {
            // A public route is limited by its own policy alone: a key a caller sends to it must not spend (or lend) a tenant's budget.
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => !context.IsPublicRoute() && context.Features.Get<ApiKeyEntry>() is { } key
                    ? Bucket($"tenant:{key.Tenant}", key.TenantLimit?.PermitsPerSecond ?? options.Tenant.PermitsPerSecond, key.TenantLimit?.Burst ?? options.Tenant.Burst)
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(context => !context.IsPublicRoute() && context.Features.Get<ApiKeyEntry>() is { KeyLimit: { } limit } key
                    ? Bucket($"key:{key.Prefix}", limit.PermitsPerSecond, limit.Burst)
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(context => context.Features.Get<ApiKeyEntry>() is null && !IsUnmetered(context) && !context.IsPublicRoute()
                    ? Bucket($"ip:{context.Connection.RemoteIpAddress}", options.Anonymous.PermitsPerSecond, options.Anonymous.Burst)
                    : RateLimitPartition.GetNoLimiter("")));
            limiter.AddPolicy(PublicRoutes.RateLimiterPolicy, context =>
                Bucket($"public:{context.Connection.RemoteIpAddress}", options.PublicLinks.PermitsPerSecond, options.PublicLinks.Burst));
            limiter.OnRejected = OnRejectedAsync;
        });
        return services;
    }

    // Health probes come from the platform itself, not from partners; the admin API is the operator's (its
    // credential is checked later, by its endpoints' policy, and is far too long to guess).
    private static bool IsUnmetered(HttpContext context) =>
        context.Request.Path.StartsWithSegments(Extensions.HealthEndpointPath)
        || context.Request.Path.StartsWithSegments(Extensions.AlivenessEndpointPath)
        || context.Request.Path.StartsWithSegments(Extensions.ReadinessEndpointPath)
        || context.Request.Path.StartsWithSegments("/admin");

    private static RateLimitPartition<string> Bucket(string owner, int permitsPerSecond, int burst)
    {
        // The limit is part of the partition key, so a changed limit takes effect with the next request.
        var fine = permitsPerSecond >= 10;
        return RateLimitPartition.GetTokenBucketLimiter($"{owner}:{permitsPerSecond}:{burst}", _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(burst, 1),
            TokensPerPeriod = fine ? permitsPerSecond / 10 : permitsPerSecond,
            ReplenishmentPeriod = fine ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = false,
        });
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var key = context.IsPublicRoute() ? null : context.Features.Get<ApiKeyEntry>();
        GatewayTelemetry.RateLimited(key?.Tenant);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await GatewayErrors.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests", key is null
            ? $"Too many requests {(context.IsPublicRoute() ? "for links" : "without a valid API key")} from this address; retry after {seconds} s."
            : $"The rate limit of tenant '{key.Tenant}' (or of this API key) is used up; retry after {seconds} s.");
    }
}
