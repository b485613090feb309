using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Scheduling;

/// <summary>
/// Every registration of the Scheduling service. The service starts, reports health and is routed by the
/// gateway; its capabilities arrive with their own issue.
/// </summary>
public static class SchedulingServiceExtensions
{
    public static IHostApplicationBuilder AddSchedulingServices(this IHostApplicationBuilder builder) => builder.AddGatewayTrust();

    public static WebApplication MapSchedulingEndpoints(this WebApplication app)
    {
        app.MapServiceStatus("scheduling");
        return app;
    }
}
