using System.Diagnostics;
using System.Diagnostics.Metrics;
using RetentionPlatform.Gateway.Authentication;

namespace RetentionPlatform.Gateway.Infrastructure;

/// <summary>
/// Per-tenant request metrics (meter <c>RetentionPlatform.Gateway</c>): <c>retention.gateway.requests</c> and
/// <c>retention.gateway.request.duration</c> by tenant, route and status code, and
/// <c>retention.gateway.rate_limited</c> by tenant.
/// </summary>
public static class GatewayTelemetry
{
    public const string MeterName = "RetentionPlatform.Gateway";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("retention.gateway.requests", "{request}", "Partner requests answered, by tenant, route and status code.");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("retention.gateway.request.duration", "s", "Time to answer a partner request, by tenant and route.");
    private static readonly Counter<long> Limited = Meter.CreateCounter<long>("retention.gateway.rate_limited", "{request}", "Requests refused by a rate limit, by tenant.");

    public static void RateLimited(string? tenant) => Limited.Add(1, new KeyValuePair<string, object?>("tenant", tenant ?? "(none)"));

    /// <summary>Records every request once it has been answered.</summary>
    public static IApplicationBuilder UseGatewayMetrics(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var tenant = context.Features.Get<ApiKeyEntry>()?.Tenant ?? "(none)";
                var route = context.GetEndpoint()?.DisplayName ?? "(unmatched)";
                var tags = new TagList
                {
                    { "tenant", tenant },
                    { "route", route },
                    { "http.response.status_code", context.Response.StatusCode },
                };
                Requests.Add(1, tags);
                Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
            }
        });
}
