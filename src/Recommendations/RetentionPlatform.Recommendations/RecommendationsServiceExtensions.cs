using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Recommendations;

/// <summary>
/// Every registration of the Recommendations service. The service starts, reports health and is routed by the
/// gateway; its capabilities arrive with their own issue.
/// </summary>
public static class RecommendationsServiceExtensions
{
    public static IHostApplicationBuilder AddRecommendationsServices(this IHostApplicationBuilder builder) => builder.AddGatewayTrust();

    public static WebApplication MapRecommendationsEndpoints(this WebApplication app)
    {
        app.MapServiceStatus("recommendations");
        return app;
    }
}
