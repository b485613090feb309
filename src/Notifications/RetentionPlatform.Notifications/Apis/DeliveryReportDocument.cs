namespace RetentionPlatform.Notifications.Apis;

/// <summary>The body of POST /v1/notifications/messages/{messageId}/delivery-reports: "delivered" or "bounced", and what the provider said.</summary>
internal sealed record DeliveryReportDocument(string? Status, string? Detail);
