using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RetentionPlatform.Notifications.Channels;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Tests.Channels;

public sealed class HttpProviderChannelTests
{
    [Theory]
    [InlineData(NotificationChannel.Sms, "+491701234567")]
    [InlineData(NotificationChannel.Push, "customer-42")]
    public async Task TheProviderGetsTheBearerTokenTheIdempotencyKeyAndTheMessage(NotificationChannel channel, string address)
    {
        await using var endpoint = await HttpTestEndpoint.StartAsync();
        await using var services = ChannelServices.Create();
        var message = ChannelTestData.Message(channel, address: address, html: null, subject: "Termin morgen", text: "Bis morgen um 10 Uhr, Jürgen!");
        var configured = new HttpEndpointSettings(endpoint.Status(202), "provider-token-123");
        var unused = new HttpEndpointSettings(endpoint.Status(500), "other-token");
        var settings = channel == NotificationChannel.Sms
            ? ChannelTestData.Settings(sms: configured, push: unused)
            : ChannelTestData.Settings(sms: unused, push: configured);

        var result = await services.GetRequiredService<ChannelRegistry>().Get(channel).SendAsync(message, settings, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        var request = Assert.Single(endpoint.Requests);
        Assert.Equal("/status/202", request.Path);
        Assert.Equal("Bearer provider-token-123", request.Headers["Authorization"]);
        Assert.Equal(message.MessageId.ToString("D"), request.Headers["Idempotency-Key"]);
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal(message.MessageId, root.GetProperty("messageId").GetGuid());
        Assert.Equal(address, root.GetProperty("to").GetString());
        Assert.Equal("Termin morgen", root.GetProperty("title").GetString());
        Assert.Equal("Bis morgen um 10 Uhr, Jürgen!", root.GetProperty("body").GetString());
        Assert.Equal("customer-42", root.GetProperty("customerId").GetString());
        Assert.Equal(5, root.EnumerateObject().Count());
    }

    [Theory]
    [InlineData(429, DeliveryOutcome.Transient, false)]
    [InlineData(503, DeliveryOutcome.Transient, false)]
    [InlineData(410, DeliveryOutcome.Permanent, true)]
    [InlineData(422, DeliveryOutcome.Permanent, false)]
    public async Task TheProvidersAnswerIsClassifiedLikeAWebhooks(int status, DeliveryOutcome outcome, bool bounced)
    {
        await using var endpoint = await HttpTestEndpoint.StartAsync();
        await using var services = ChannelServices.Create();

        var result = await services.GetRequiredService<ChannelRegistry>().Get(NotificationChannel.Sms).SendAsync(
            ChannelTestData.Message(NotificationChannel.Sms, address: "+491701234567"),
            ChannelTestData.Settings(sms: new HttpEndpointSettings(endpoint.Status(status), "provider-token-123")),
            CancellationToken.None);

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(bounced, result.Bounced);
        Assert.DoesNotContain("provider-token-123", result.Error ?? "", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(NotificationChannel.Sms)]
    [InlineData(NotificationChannel.Push)]
    public async Task ATenantWithoutAProviderGetsAPermanentFailure(NotificationChannel channel)
    {
        await using var services = ChannelServices.Create();

        var result = await services.GetRequiredService<ChannelRegistry>().Get(channel)
            .SendAsync(ChannelTestData.Message(channel), ChannelTestData.Settings(), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Permanent, result.Outcome);
        Assert.Contains("not configured", result.Error, StringComparison.Ordinal);
    }
}
