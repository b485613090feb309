using System.Net;
using System.Text.Json.Nodes;
using Grpc.Core;
using RetentionPlatform.Standalone;
using Notif = RetentionPlatform.Contracts.Notifications.V1;

namespace RetentionPlatform.EndToEnd.Tests;

/// <summary>Notifications' tenant isolation (messages, templates, settings over REST and gRPC) and its write-only secrets.</summary>
public sealed partial class PartnerApiSecurityTests
{
    [Fact]
    public async Task AnotherTenantNeitherSeesDemosMessagesTemplatesNorSettingsOverRestOrGrpc()
    {
        var marker = Guid.NewGuid().ToString("N")[..16];
        // The ids are the caller's own words (a 404 may repeat them); the marker is in demo's content only.
        var ids = Guid.NewGuid().ToString("N")[..12];
        var (template, customer) = ($"sec-{ids}", $"notif-{ids}");
        var demo = StandaloneOptions.DemoApiKey;
        var other = StandaloneOptions.OtherApiKey;
        await ExpectAsync(HttpStatusCode.Created, SendAsync(demo, HttpMethod.Put, $"/v1/notifications/templates/{template}/en",
            $$"""{"subject":"Demo secret subject {{marker}}","text":"Demo secret text {{marker}}"}"""));
        await ExpectAsync(HttpStatusCode.OK, SendAsync(demo, HttpMethod.Put, "/v1/notifications/settings", $$"""{"businessName":"Demo secret business {{marker}}"}"""));
        var sent = (await ExpectAsync(HttpStatusCode.Accepted, SendAsync(demo, HttpMethod.Post, "/v1/notifications/messages",
            $$"""{"customerId":"{{customer}}","templateId":"{{template}}","purpose":"transactional","idempotencyKey":"{{marker}}","data":{"note":"Demo secret data {{marker}}"} }""")))!;
        var messageId = (string)sent["messageId"]!;
        await ExpectAsync(HttpStatusCode.OK, SendAsync(demo, HttpMethod.Get, $"/v1/notifications/messages/{messageId}"));

        var seen = new List<string>();
        async Task<JsonNode?> OtherAsync(HttpStatusCode expected, HttpMethod method, string path, string? json = null)
        {
            using var response = await SendAsync(other, method, path, json);
            var text = await response.Content.ReadAsStringAsync();
            seen.Add(text);
            Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }

        await OtherAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/notifications/messages/{messageId}");
        var list = await OtherAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1/notifications/messages?customerId={customer}");
        Assert.Empty(list!["messages"]!.AsArray());
        await OtherAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/notifications/templates/{template}/en");
        await OtherAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"/v1/notifications/templates/{template}/preview", "{}");
        await OtherAsync(HttpStatusCode.NotFound, HttpMethod.Delete, $"/v1/notifications/templates/{template}/en");
        await OtherAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"/v1/notifications/messages/{messageId}/delivery-reports", """{"status":"bounced"}""");
        var templates = await OtherAsync(HttpStatusCode.OK, HttpMethod.Get, "/v1/notifications/templates");
        Assert.DoesNotContain(templates!["templates"]!.AsArray(), t => (string?)t!["templateId"] == template);
        Assert.Contains(templates["builtIn"]!.AsArray(), id => (string?)id == "appointment_reminder");
        var settings = await OtherAsync(HttpStatusCode.OK, HttpMethod.Get, "/v1/notifications/settings");
        Assert.True(string.IsNullOrEmpty((string?)settings!["businessName"]), settings.ToJsonString());

        var headers = KeyHeaders(other);
        var client = new Notif.Notifications.NotificationsClient(_channel);
        async Task GrpcNotFoundAsync(Func<Task> call)
        {
            var failed = await Assert.ThrowsAsync<RpcException>(call);
            seen.Add(failed.Status.Detail);
            Assert.Equal(StatusCode.NotFound, failed.StatusCode);
        }

        await GrpcNotFoundAsync(() => client.GetMessageAsync(new Notif.GetMessageRequest { MessageId = messageId }, headers, Deadline()).ResponseAsync);
        await GrpcNotFoundAsync(() => client.PreviewAsync(new Notif.PreviewRequest { TemplateId = template, Locale = "en" }, headers, Deadline()).ResponseAsync);

        // Demo's own view is intact: its template, its message and its settings.
        await ExpectAsync(HttpStatusCode.OK, SendAsync(demo, HttpMethod.Get, $"/v1/notifications/templates/{template}/en"));
        var mine = (await ExpectAsync(HttpStatusCode.OK, SendAsync(demo, HttpMethod.Get, $"/v1/notifications/messages?customerId={customer}")))!;
        Assert.Contains(mine["messages"]!.AsArray(), m => (string?)m!["messageId"] == messageId);
        Assert.All(seen, text => Assert.DoesNotContain(marker, text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task NotificationSettingsSecretsAreWriteOnlyAndNeverAnswered()
    {
        var marker = Guid.NewGuid().ToString("N");
        var (password, secret) = ($"smtp-password-{marker}", $"whsec-{marker}");
        var body = $$"""
            {"businessName":"Salon","email":{"host":"smtp.example.com","port":587,"security":"startTls","userName":"mailer","password":"{{password}}","fromAddress":"hello@salon.example"},
             "webhook":{"url":"https://partner.example/hooks","secret":"{{secret}}"} }
            """;

        using var put = await SendAsync(StandaloneOptions.DemoApiKey, HttpMethod.Put, "/v1/notifications/settings", body);
        var putText = await put.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var get = await SendAsync(StandaloneOptions.DemoApiKey, HttpMethod.Get, "/v1/notifications/settings");
        var getText = await get.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);

        foreach (var text in new[] { putText, getText })
        {
            Assert.DoesNotContain(marker, text, StringComparison.Ordinal);
            var settings = JsonNode.Parse(text)!;
            Assert.True((bool?)settings["email"]!["hasPassword"], text);
            Assert.True((bool?)settings["webhook"]!["hasSecret"], text);
        }

        // A PUT without the secrets keeps them, and still shows none.
        using var again = await SendAsync(StandaloneOptions.DemoApiKey, HttpMethod.Put, "/v1/notifications/settings", body.Replace(password, "", StringComparison.Ordinal).Replace($",\"secret\":\"{secret}\"", "", StringComparison.Ordinal).Replace(",\"password\":\"\"", "", StringComparison.Ordinal));
        var againText = await again.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.DoesNotContain(marker, againText, StringComparison.Ordinal);
        Assert.True((bool?)JsonNode.Parse(againText)!["webhook"]!["hasSecret"], againText);
        Assert.True((bool?)JsonNode.Parse(againText)!["email"]!["hasPassword"], againText);
    }

    [Theory]
    [InlineData("GET", "/m/h/not-a-token")]
    [InlineData("POST", "/m/u/not-a-token")]
    [InlineData("GET", "/m/o/not-a-token.gif")]
    public async Task ACustomerLinkPageNeedsNoKeyAndAForgedTokenGetsNoServerError(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new FormUrlEncodedContent([new("confirm", "yes")]);
        }

        using var response = await _http.SendAsync(request);

        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True((int)response.StatusCode < 500, $"{method} {path} answered {(int)response.StatusCode}.");
    }
}
