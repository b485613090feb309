using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using RetentionPlatform.Profiles;

namespace RetentionPlatform.EndToEnd.Tests;

/// <summary>What a partner app does over HTTP: post events and read profiles through the gateway with its key.</summary>
public sealed class PartnerClient(Uri gateway, string apiKey) : IDisposable
{
    /// <summary>How the Profiles REST routes write a profile: web defaults, enums by camelCase name.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly HttpClient _http = new() { BaseAddress = gateway };

    public async Task<HttpResponseMessage> PostEventAsync(string json, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Authorization", $"Bearer {apiKey}");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await _http.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostEventAsync(string eventId, string customerId, string type = "page_viewed", string occurredAt = "2026-11-23T10:00:00Z") =>
        PostEventAsync($$"""{"eventId":"{{eventId}}","type":"{{type}}","customerId":"{{customerId}}","occurredAt":"{{occurredAt}}"}""");

    public async Task<HttpResponseMessage> GetAsync(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Authorization", $"Bearer {apiKey}");
        return await _http.SendAsync(request);
    }

    /// <summary>Reads the profile until it shows <paramref name="eventCount"/> events (the Kafka hop is asynchronous).</summary>
    public async Task<CustomerProfile> WaitForProfileAsync(string customerId, long eventCount)
    {
        var deadline = Stopwatch.StartNew();
        CustomerProfile? last = null;
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var response = await GetAsync($"/v1/customers/{Uri.EscapeDataString(customerId)}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                last = await response.Content.ReadFromJsonAsync<CustomerProfile>(Json);
                if (last!.EventCount >= eventCount)
                {
                    return last;
                }
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"Customer {customerId} did not reach {eventCount} events; last seen: {last}.");
    }

    public void Dispose() => _http.Dispose();
}
