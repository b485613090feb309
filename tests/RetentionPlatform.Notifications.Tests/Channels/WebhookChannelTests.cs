using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RetentionPlatform.Notifications.Channels;
using RetentionPlatform.Notifications.Model;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Notifications.Tests.Channels;

public sealed class WebhookChannelTests
{
    private const string Secret = "whsec-partner-4711";

    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 9, 30, 15, TimeSpan.Zero));

    [Fact]
    public async Task AWebhookPostCarriesTheMessageAsJsonWithASignatureThePartnerCanVerify()
    {
        await using var endpoint = await HttpTestEndpoint.StartAsync();
        await using var services = ChannelServices.Create(_time);
        var message = ChannelTestData.Message(NotificationChannel.Webhook, address: "customer-42");

        var result = await Send(services, message, endpoint.Status(200));

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        var request = Assert.Single(endpoint.Requests);
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        Assert.Equal(message.MessageId.ToString("D"), request.Headers["Idempotency-Key"]);
        var signature = request.Headers[WebhookSignature.HeaderName];
        Assert.StartsWith($"t={_time.GetUtcNow().ToUnixTimeSeconds()},v1=", signature, StringComparison.Ordinal);
        Assert.True(WebhookSignature.Verify(Secret, signature, request.Body, _time.GetUtcNow().AddSeconds(40), Tolerance));

        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal(message.MessageId, root.GetProperty("messageId").GetGuid());
        Assert.Equal("tenant-sonne", root.GetProperty("tenantId").GetString());
        Assert.Equal("customer-42", root.GetProperty("customerId").GetString());
        Assert.Equal("webhook", root.GetProperty("channel").GetString());
        Assert.Equal("marketing", root.GetProperty("purpose").GetString());
        Assert.Equal("reminder", root.GetProperty("templateId").GetString());
        Assert.Equal("de-DE", root.GetProperty("locale").GetString());
        Assert.Equal("customer-42", root.GetProperty("address").GetString());
        Assert.Equal(message.Subject, root.GetProperty("subject").GetString());
        Assert.Equal(message.Text, root.GetProperty("text").GetString());
        Assert.Equal(message.Html, root.GetProperty("html").GetString());
        Assert.Equal(message.HumanUrl.AbsoluteUri, root.GetProperty("links").GetProperty("human").GetString());
        Assert.Equal(message.UnsubscribeUrl.AbsoluteUri, root.GetProperty("links").GetProperty("unsubscribe").GetString());
        Assert.Equal(_time.GetUtcNow(), root.GetProperty("sentAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task TheSignatureFailsWithAWrongSecretATamperedBodyOrAStaleTimestamp()
    {
        await using var endpoint = await HttpTestEndpoint.StartAsync();
        await using var services = ChannelServices.Create(_time);
        await Send(services, ChannelTestData.Message(NotificationChannel.Webhook), endpoint.Status(200));
        var request = Assert.Single(endpoint.Requests);
        var signature = request.Headers[WebhookSignature.HeaderName];
        var now = _time.GetUtcNow();
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(request.Body).Replace("tenant-sonne", "tenant-mond", StringComparison.Ordinal));

        Assert.True(WebhookSignature.Verify(Secret, signature, request.Body, now, Tolerance));
        Assert.False(WebhookSignature.Verify("whsec-someone-else", signature, request.Body, now, Tolerance));
        Assert.False(WebhookSignature.Verify(Secret, signature, tampered, now, Tolerance));
        Assert.False(WebhookSignature.Verify(Secret, signature, request.Body, now + TimeSpan.FromMinutes(6), Tolerance));
        Assert.False(WebhookSignature.Verify(Secret, signature, request.Body, now - TimeSpan.FromMinutes(6), Tolerance));
        Assert.False(WebhookSignature.Verify(Secret, signature.Replace("t=", "t=1", StringComparison.Ordinal), request.Body, now, TimeSpan.MaxValue));
        Assert.False(WebhookSignature.Verify(Secret, null, request.Body, now, Tolerance));
    }

    [Fact]
    public void ASignatureIsTheHexHmacOfTheTimestampADotAndTheBody()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        const string body = """{"messageId":"x"}""";
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            Encoding.UTF8.GetBytes("secret"),
            Encoding.UTF8.GetBytes("1700000000." + body)));

        var header = WebhookSignature.Sign("secret", at, body);

        Assert.Equal($"t=1700000000,v1={expected}", header);
        Assert.True(WebhookSignature.Verify("secret", $"t=1700000000,v1={new string('0', 64)},v1={expected}", body, at, Tolerance));
    }

    [Theory]
    [InlineData(200, DeliveryOutcome.Sent, false)]
    [InlineData(202, DeliveryOutcome.Sent, false)]
    [InlineData(400, DeliveryOutcome.Permanent, false)]
    [InlineData(401, DeliveryOutcome.Permanent, false)]
    [InlineData(404, DeliveryOutcome.Permanent, false)]
    [InlineData(410, DeliveryOutcome.Permanent, true)]
    [InlineData(408, DeliveryOutcome.Transient, false)]
    [InlineData(429, DeliveryOutcome.Transient, false)]
    [InlineData(500, DeliveryOutcome.Transient, false)]
    [InlineData(503, DeliveryOutcome.Transient, false)]
    public async Task TheWebhooksAnswerDecidesTheOutcome(int status, DeliveryOutcome outcome, bool bounced)
    {
        await using var endpoint = await HttpTestEndpoint.StartAsync();
        await using var services = ChannelServices.Create(_time);

        var result = await Send(services, ChannelTestData.Message(NotificationChannel.Webhook), endpoint.Status(status));

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(bounced, result.Bounced);
        Assert.Single(endpoint.Requests);
        if (outcome != DeliveryOutcome.Sent)
        {
            Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ARedirectIsNotFollowedAndFailsPermanently()
    {
        await using var endpoint = await HttpTestEndpoint.StartAsync();
        await using var services = ChannelServices.Create(_time);

        var result = await Send(services, ChannelTestData.Message(NotificationChannel.Webhook), endpoint.Status(302));

        Assert.Equal(DeliveryOutcome.Permanent, result.Outcome);
        Assert.Equal("/status/302", Assert.Single(endpoint.Requests).Path);
    }

    [Fact]
    public async Task AClosedPortIsATransientFailure()
    {
        await using var services = ChannelServices.Create(_time);

        var result = await Send(services, ChannelTestData.Message(NotificationChannel.Webhook), new Uri($"http://127.0.0.1:{TestServers.FreePort()}/hook"));

        Assert.Equal(DeliveryOutcome.Transient, result.Outcome);
        Assert.False(result.Bounced);
    }

    [Fact]
    public async Task AFailingWebhookIsPostedOnceEvenWhenEveryHttpClientGetsAResilienceHandler()
    {
        await using var endpoint = await HttpTestEndpoint.StartAsync();
        // The system clock: the resilience handler waits between retries on the registered TimeProvider.
        await using var services = ChannelServices.Create(configure: services => services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler()));

        var result = await Send(services, ChannelTestData.Message(NotificationChannel.Webhook), endpoint.Status(503));

        Assert.Equal(DeliveryOutcome.Transient, result.Outcome);
        Assert.Contains("503", result.Error, StringComparison.Ordinal);
        Assert.Single(endpoint.Requests);
    }

    [Fact]
    public async Task ATenantWithoutAWebhookGetsAPermanentFailure()
    {
        await using var services = ChannelServices.Create(_time);
        var channel = services.GetRequiredService<ChannelRegistry>().Get(NotificationChannel.Webhook);

        var result = await channel.SendAsync(ChannelTestData.Message(NotificationChannel.Webhook), ChannelTestData.Settings(), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Permanent, result.Outcome);
        Assert.Contains("not configured", result.Error, StringComparison.Ordinal);
    }

    private static Task<DeliveryResult> Send(ServiceProvider services, OutgoingMessage message, Uri url) =>
        services.GetRequiredService<ChannelRegistry>().Get(NotificationChannel.Webhook)
            .SendAsync(message, ChannelTestData.Settings(webhook: new HttpEndpointSettings(url, Secret)), CancellationToken.None);
}
