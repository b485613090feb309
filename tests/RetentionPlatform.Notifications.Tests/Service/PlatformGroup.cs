namespace RetentionPlatform.Notifications.Tests.Service;

/// <summary>The service tests share one platform and one SMTP server, and run one at a time (one stops the server).</summary>
[CollectionDefinition(Name)]
public sealed class PlatformGroup : ICollectionFixture<NotificationsPlatformFixture>
{
    public const string Name = "Notifications service";
}
