using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RetentionPlatform.Notifications.Channels;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Tests.Channels;

public sealed class EgressGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.10")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    public void PrivateLoopbackAndLinkLocalAddressesAreNotPublic(string address) => Assert.False(EgressGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946")]
    public void InternetAddressesArePublic(string address) => Assert.True(EgressGuard.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task AnEndpointOnLoopbackIsRefusedUnlessPrivateNetworksAreAllowed()
    {
        await using var smtp = await Smtp.SmtpTestServer.StartNewAsync();
        await Assert.ThrowsAsync<EgressRefusedException>(() => new EgressGuard(allowPrivateNetworks: false).ConnectAsync("127.0.0.1", smtp.Port, CancellationToken.None));
        await Assert.ThrowsAsync<EgressRefusedException>(() => new EgressGuard(allowPrivateNetworks: false).ConnectAsync("localhost", smtp.Port, CancellationToken.None));
        using var socket = await new EgressGuard(allowPrivateNetworks: true).ConnectAsync("127.0.0.1", smtp.Port, CancellationToken.None);
        Assert.True(socket.Connected);
    }

    [Fact]
    public async Task ATenantsSmtpServerOrWebhookOnAPrivateNetworkFailsPermanentlyWithoutAConnection()
    {
        await using var smtp = await Smtp.SmtpTestServer.StartNewAsync();
        await using var email = new EmailChannel(TimeProvider.System, NullLogger<EmailChannel>.Instance, new EgressGuard(allowPrivateNetworks: false));
        var message = ChannelTestData.Message();
        var settings = ChannelSettings.Empty with
        {
            Email = new EmailSettings("127.0.0.1", smtp.Port, SmtpSecurity.None, null, null, "shop@example.com", null, null),
            Webhook = new HttpEndpointSettings(new Uri($"http://127.0.0.1:{smtp.Port}/hook"), "webhook-secret-0123456789"),
        };

        var sent = await email.SendAsync(message, settings, CancellationToken.None);
        Assert.Equal(DeliveryOutcome.Permanent, sent.Outcome);
        Assert.Contains("private network", sent.Error, StringComparison.Ordinal);
        Assert.Equal(0, smtp.ConnectionCount);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new EgressGuard(allowPrivateNetworks: false));
        services.AddMessageChannels();
        await using var provider = services.BuildServiceProvider();
        var webhook = provider.GetRequiredService<ChannelRegistry>().Get(NotificationChannel.Webhook);
        var posted = await webhook.SendAsync(message with { Channel = NotificationChannel.Webhook }, settings, CancellationToken.None);
        Assert.Equal(DeliveryOutcome.Permanent, posted.Outcome);
        Assert.Contains("private network", posted.Error, StringComparison.Ordinal);
    }
}
