using RetentionPlatform.Notifications.Links;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Tests.Links;

internal static class LinkTestData
{
    public static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 30, 0, TimeSpan.Zero);

    public static byte[] Key { get; } = Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray();

    public static LinkClaims Claims(LinkAction action, string? target = null, Guid? messageId = null, DateTimeOffset? issuedAt = null) => new(
        action,
        "tenant-7",
        messageId ?? new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"),
        "customer-42",
        NotificationChannel.Email,
        NotificationPurpose.Marketing,
        target ?? DefaultTarget(action),
        issuedAt ?? Now);

    public static string? DefaultTarget(LinkAction action) => action switch
    {
        LinkAction.Click => "https://shop.example/offers?utm_source=email&id=9",
        LinkAction.Cancel => "appointment-123",
        _ => null,
    };
}
