using Microsoft.Extensions.DependencyInjection;
using RetentionPlatform.Notifications.Channels;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Tests.Channels;

public sealed class ChannelRegistryTests
{
    [Fact]
    public async Task AddMessageChannelsRegistersOneSingletonChannelPerNotificationChannel()
    {
        await using var services = ChannelServices.Create();
        var registry = services.GetRequiredService<ChannelRegistry>();

        Assert.IsType<EmailChannel>(registry.Get(NotificationChannel.Email));
        Assert.IsType<WebhookChannel>(registry.Get(NotificationChannel.Webhook));
        Assert.Equal(NotificationChannel.Sms, Assert.IsType<HttpProviderChannel>(registry.Get(NotificationChannel.Sms)).Channel);
        Assert.Equal(NotificationChannel.Push, Assert.IsType<HttpProviderChannel>(registry.Get(NotificationChannel.Push)).Channel);
        Assert.Equal(Enum.GetValues<NotificationChannel>().Order(), registry.Channels.Order());
        Assert.Same(services.GetRequiredService<EmailChannel>(), registry.Get(NotificationChannel.Email));
        Assert.Same(registry, services.GetRequiredService<ChannelRegistry>());
    }

    [Fact]
    public void AChannelWithoutAnImplementationIsAWiringErrorNotADeliveryResult()
    {
        var registry = new ChannelRegistry([]);

        Assert.False(registry.TryGet(NotificationChannel.Email, out _));
        Assert.Throws<InvalidOperationException>(() => registry.Get(NotificationChannel.Email));
    }
}
