using System.Net;
using System.Text;
using System.Text.Json;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Notifications.Tests.Service;

/// <summary>What a partner does over the gateway's REST API with one tenant's key, and what it reads back.</summary>
public sealed class PlatformApi(Uri gateway, string apiKey) : IDisposable
{
    private static readonly string[] Unsettled = ["pending", "queued"];

    private readonly HttpClient _http = new() { BaseAddress = gateway };

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        request.Headers.Add("Authorization", $"Bearer {apiKey}");
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = string.IsNullOrWhiteSpace(text) ? default : ParseOrString(text);
        return (response.StatusCode, body);
    }

    /// <summary>Sends and asserts the status, naming the request and the answer when it differs.</summary>
    public async Task<JsonElement> ExpectAsync(HttpMethod method, string path, string? json, params HttpStatusCode[] expected)
    {
        var (status, body) = await SendAsync(method, path, json);
        Assert.True(expected.Contains(status), $"{method} {path} {json}: {(int)status} {body}");
        return body;
    }

    public Task<JsonElement> IdentifyAsync(string customerId, string? email, string firstName = "Ada", string lastName = "Lovelace") =>
        ExpectAsync(HttpMethod.Post, $"/v1/customers/{customerId}/identify",
            email is null
                ? $$"""{"firstName":"{{firstName}}","lastName":"{{lastName}}"}"""
                : $$"""{"email":"{{email}}","firstName":"{{firstName}}","lastName":"{{lastName}}"}""",
            HttpStatusCode.OK);

    public Task<JsonElement> SetConsentAsync(string customerId, bool granted, string purpose = "marketing") =>
        ExpectAsync(HttpMethod.Put, $"/v1/customers/{customerId}/consent",
            $$"""{"channel":"email","purpose":"{{purpose}}","granted":{{(granted ? "true" : "false")}},"source":"test"}""", HttpStatusCode.OK);

    /// <summary>A customer with an email address and a yes to marketing email.</summary>
    public async Task AddMarketableCustomerAsync(string customerId, string email)
    {
        await IdentifyAsync(customerId, email);
        await SetConsentAsync(customerId, granted: true);
    }

    /// <summary>POST /v1/notifications/messages; returns the status and the message document.</summary>
    public Task<(HttpStatusCode Status, JsonElement Body)> PostMessageAsync(string customerId, string templateId, string purpose, string idempotencyKey) =>
        SendAsync(HttpMethod.Post, "/v1/notifications/messages",
            $$"""{"customerId":"{{customerId}}","templateId":"{{templateId}}","channels":["email"],"purpose":"{{purpose}}","idempotencyKey":"{{idempotencyKey}}"}""");

    public async Task<Guid> SubmitAsync(string customerId, string templateId, string purpose)
    {
        var (status, body) = await PostMessageAsync(customerId, templateId, purpose, Guid.NewGuid().ToString("N"));
        Assert.True(status == HttpStatusCode.Accepted, $"send to {customerId}: {(int)status} {body}");
        return body.GetProperty("messageId").GetGuid();
    }

    public Task<JsonElement> GetMessageAsync(Guid messageId) =>
        ExpectAsync(HttpMethod.Get, $"/v1/notifications/messages/{messageId}", null, HttpStatusCode.OK);

    /// <summary>Waits until the message has left pending and queued (sent, denied, deferred, failed or cancelled).</summary>
    public Task<JsonElement> WaitSettledAsync(Guid messageId, TimeSpan? timeout = null) =>
        Eventually.GetAsync(() => GetMessageAsync(messageId), m => !Unsettled.Contains(Status(m)), $"message {messageId} to settle", timeout ?? TimeSpan.FromSeconds(60));

    public Task<JsonElement> WaitStatusAsync(Guid messageId, string status, TimeSpan? timeout = null) =>
        Eventually.GetAsync(() => GetMessageAsync(messageId), m => Status(m) == status, $"message {messageId} to be {status}", timeout ?? TimeSpan.FromSeconds(60));

    public static string Status(JsonElement message) => message.GetProperty("status").GetString()!;

    public static string? Reason(JsonElement message) =>
        message.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null;

    /// <summary>Form-posts to a link page (/m/...) the way its button does.</summary>
    public async Task<HttpStatusCode> PostFormAsync(Uri url, params KeyValuePair<string, string>[] fields)
    {
        using var content = new FormUrlEncodedContent(fields);
        using var response = await _http.PostAsync(url, content);
        return response.StatusCode;
    }

    public void Dispose() => _http.Dispose();

    private static JsonElement ParseOrString(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            using var document = JsonDocument.Parse(JsonSerializer.Serialize(text));
            return document.RootElement.Clone();
        }
    }
}
