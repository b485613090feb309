using System.Net;
using RetentionPlatform.Notifications.Tests.Smtp;
using RetentionPlatform.Standalone;

namespace RetentionPlatform.Notifications.Tests.Service;

/// <summary>
/// One whole platform (throwaway PostgreSQL, embedded Kafka, every service behind the gateway) and one loopback SMTP
/// server, shared by the service tests. Both tenants send email to that server; retries are fast so an outage test
/// takes seconds; quiet hours are off in the tenant policy (a test that wants them sets a customer's own).
/// </summary>
public sealed class NotificationsPlatformFixture : IAsyncLifetime
{
    public const string SenderAddress = "shop@example.com";

    public StandalonePlatform Platform { get; private set; } = null!;

    public SmtpTestServer Smtp { get; private set; } = null!;

    public PlatformApi Demo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Smtp = new SmtpTestServer();
        await Smtp.StartAsync();
        var options = new StandaloneOptions { Ephemeral = true, GatewayHttpPort = 0, GatewayGrpcPort = 0 };
        options.ServiceSettings["Notifications:RetryBaseDelay"] = "00:00:00.200";
        options.ServiceSettings["Notifications:RetryMaxDelay"] = "00:00:01";
        options.ServiceSettings["Notifications:MaxAttempts"] = "50";
        options.ServiceSettings["Notifications:PollInterval"] = "00:00:00.100";
        Platform = await StandalonePlatform.StartAsync(options);
        Demo = new PlatformApi(Platform.GatewayHttpUrl, StandaloneOptions.DemoApiKey);
        await Demo.ExpectAsync(HttpMethod.Put, "/v1/notifications/settings",
            $$$"""{"businessName":"Demo Shop","email":{"host":"127.0.0.1","port":{{{Smtp.Port}}},"security":"none","fromAddress":"{{{SenderAddress}}}","fromName":"Demo Shop"}}""",
            HttpStatusCode.OK);
        await Demo.ExpectAsync(HttpMethod.Put, "/v1/notifications/templates/promo/en",
            """{"subject":"Our spring offer","html":"<p>Spring offer: 20% off.</p>","text":"Spring offer: 20% off."}""",
            HttpStatusCode.Created, HttpStatusCode.OK);
        await Demo.ExpectAsync(HttpMethod.Put, "/v1/notifications/templates/receipt/en",
            """{"subject":"Your receipt","html":"<p>Thank you for your order.</p>","text":"Thank you for your order."}""",
            HttpStatusCode.Created, HttpStatusCode.OK);
        // One marketing message per customer a week: a customer who already had one is over budget.
        await Demo.ExpectAsync(HttpMethod.Put, "/v1/contact-policy",
            """{"budgetMaxTouches":1,"budgetWindow":"P7D","quietHoursStart":"00:00","quietHoursEnd":"00:00","defaultTimeZone":"UTC"}""",
            HttpStatusCode.OK);
    }

    public async Task DisposeAsync()
    {
        Demo?.Dispose();
        if (Platform is not null)
        {
            await Platform.DisposeAsync();
        }

        if (Smtp is not null)
        {
            await Smtp.DisposeAsync();
        }
    }
}
