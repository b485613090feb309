using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RetentionPlatform.Standalone;

namespace RetentionPlatform.EndToEnd.Tests;

/// <summary>
/// Scheduling through the standalone host: a booking made at the gateway reaches the customer's profile through
/// retention.appointment-events.v1 (the next appointment, cancellations), which is what keeps promotions away from it.
/// </summary>
public sealed class SchedulingSliceTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>, IDisposable
{
    private static readonly string[] Days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    private readonly PartnerClient _demo = new(fixture.Platform.GatewayHttpUrl, StandaloneOptions.DemoApiKey);
    private readonly HttpClient _http = new() { BaseAddress = fixture.Platform.GatewayHttpUrl };

    public void Dispose()
    {
        _demo.Dispose();
        _http.Dispose();
    }

    [Fact]
    public async Task ABookingAndItsCancellationShowUpInTheCustomersProfile()
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var customer = $"c-{id}";
        await SendAsync(HttpMethod.Put, $"/v1/scheduling/locations/loc-{id}", """{"name":"Front","timeZone":"Europe/Berlin"}""", HttpStatusCode.Created);
        var everyDay = string.Join(",", Days.Select(day => $$"""
                "{{day}}":[{"start":"00:00","end":"24:00"}]
                """));
        await SendAsync(HttpMethod.Put, $"/v1/scheduling/resources/res-{id}", $$$"""{"name":"Chair","locationId":"loc-{{{id}}}","workingHours":{{{{everyDay}}}}}""", HttpStatusCode.Created);
        await SendAsync(HttpMethod.Put, $"/v1/scheduling/services/svc-{id}", $$"""{"name":"Cut","duration":"PT30M","resourceIds":["res-{{id}}"]}""", HttpStatusCode.Created);

        var start = DateTimeOffset.UtcNow.AddDays(3);
        start = new DateTimeOffset(start.Year, start.Month, start.Day, 10, 0, 0, TimeSpan.Zero);
        using var booked = await SendAsync(HttpMethod.Post, "/v1/scheduling/bookings",
            $$"""{"serviceId":"svc-{{id}}","customerId":"{{customer}}","startsAt":"{{start:yyyy-MM-ddTHH:mm:ssZ}}"}""", HttpStatusCode.Created);
        var bookingId = (await booked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bookingId").GetString()!;

        var profile = await _demo.WaitForProfileAsync(customer, 1);
        Assert.Equal("appointment_booked", profile.LastEventType);
        Assert.Equal(start, Assert.Single(profile.Appointments.Upcoming, pair => pair.Key == bookingId).Value);
        Assert.Equal(start, profile.Appointments.Next);

        await SendAsync(HttpMethod.Post, $"/v1/scheduling/bookings/{bookingId}/cancel", """{"reason":"sick"}""", HttpStatusCode.OK);
        profile = await _demo.WaitForProfileAsync(customer, 2);
        Assert.Empty(profile.Appointments.Upcoming);
        Assert.Equal(1, profile.Appointments.Cancelled);
        Assert.Null(profile.Appointments.Next);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string json, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Authorization", $"Bearer {StandaloneOptions.DemoApiKey}");
        var response = await _http.SendAsync(request);
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }
}
