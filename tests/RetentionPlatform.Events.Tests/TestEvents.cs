using System.Net;
using System.Text.Json.Nodes;

namespace RetentionPlatform.Events.Tests;

/// <summary>Request bodies and answers of the ingestion API, as partners write and read them.</summary>
public static class TestEvents
{
    /// <summary>A tenant no other test uses, so tests can share one service, database and topic.</summary>
    public static string NewTenant() => $"t-{Guid.NewGuid():N}";

    public static string Event(string eventId, string customerId = "c-1", string type = "page_viewed") =>
        $$"""{"eventId":"{{eventId}}","type":"{{type}}","customerId":"{{customerId}}","occurredAt":"2026-01-10T10:00:00Z"}""";

    public static string Batch(params IEnumerable<string> events) => $$"""{"events":[{{string.Join(",", events)}}]}""";

    /// <summary>Asserts the response's JSON body is exactly <paramref name="expected"/> (same members, same order).</summary>
    public static async Task AssertJsonAsync(string expected, HttpResponseMessage response) =>
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), JsonNode.Parse(await response.Content.ReadAsStringAsync())!.ToJsonString());

    /// <summary>Asserts a ProblemDetails answer with <paramref name="status"/>, and returns its body.</summary>
    public static async Task<JsonObject> AssertProblemAsync(HttpStatusCode status, HttpResponseMessage response)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal((int)status, (int)problem["status"]!);
        return problem;
    }
}
