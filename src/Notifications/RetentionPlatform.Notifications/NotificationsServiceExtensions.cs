using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Notifications;

/// <summary>
/// Every registration of the Notifications service. The service starts, reports health and is routed by the
/// gateway; its capabilities arrive with their own issue.
/// </summary>
public static class NotificationsServiceExtensions
{
    public static IHostApplicationBuilder AddNotificationsServices(this IHostApplicationBuilder builder) => builder.AddGatewayTrust();

    public static WebApplication MapNotificationsEndpoints(this WebApplication app)
    {
        app.MapServiceStatus("notifications");
        return app;
    }
}
