using System.Net;
using System.Text.Json;
using static RetentionPlatform.Scheduling.Tests.Service.TestBusiness;

namespace RetentionPlatform.Scheduling.Tests.Service;

/// <summary>Many customers racing for one slot: PostgreSQL's exclusion constraint lets exactly as many win as there are resources.</summary>
public sealed class ConcurrencyTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private const int Callers = 200;
    private readonly SchedulingServiceHost _host = fixture.Host;
    private readonly string _tenant = NewTenant();

    private async Task<List<(HttpStatusCode Status, string? MediaType, JsonElement Body)>> RaceAsync(string? resourceId, DateTimeOffset start)
    {
        var attempts = Enumerable.Range(0, Callers).Select(async i =>
        {
            using var response = await _host.PostAsync("/v1/scheduling/bookings", _tenant, new
            {
                serviceId = "svc",
                resourceId,
                customerId = $"racer-{i}",
                startsAt = Iso(start),
            });
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, JsonDocument.Parse(text).RootElement.Clone());
        });
        return [.. await Task.WhenAll(attempts)];
    }

    private async Task<List<(string BookingId, string ResourceId)>> BookedRowsAsync()
    {
        await using var command = _host.Database.CreateCommand(
            "select booking_id, resource_id from scheduling.bookings where tenant_id = $1 and status = 'booked' order by resource_id");
        command.Parameters.Add(new() { Value = _tenant });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    [Fact]
    public async Task TwoHundredConcurrentBookingsOfOneSlotAndResourceMakeExactlyOneBooking()
    {
        await AlwaysOpenAsync(_host, _tenant);
        var start = StartAfter(TimeSpan.FromHours(3));

        var results = await RaceAsync("r1", start);

        var won = Assert.Single(results, r => r.Status == HttpStatusCode.Created);
        var lost = results.Where(r => r.Status != HttpStatusCode.Created).ToList();
        Assert.Equal(Callers - 1, lost.Count);
        Assert.All(lost, r =>
        {
            Assert.Equal(HttpStatusCode.Conflict, r.Status);
            Assert.Equal("application/problem+json", r.MediaType);
            Assert.Equal(409, r.Body.GetProperty("status").GetInt32());
        });
        var row = Assert.Single(await BookedRowsAsync());
        Assert.Equal((won.Body.Text("bookingId"), "r1"), row);
        Assert.Equal(start, won.Body.GetProperty("startsAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task TwoHundredConcurrentBookingsWithoutAResourceFillBothResourcesOfTheServiceAndNoMore()
    {
        await AlwaysOpenAsync(_host, _tenant);
        var start = StartAfter(TimeSpan.FromHours(4));

        var results = await RaceAsync(null, start);

        var won = results.Where(r => r.Status == HttpStatusCode.Created).ToList();
        Assert.Equal(2, won.Count);
        Assert.Equal(["r1", "r2"], won.Select(r => r.Body.Text("resourceId")).Order());
        Assert.All(results.Where(r => r.Status != HttpStatusCode.Created), r =>
        {
            Assert.Equal(HttpStatusCode.Conflict, r.Status);
            Assert.Equal("application/problem+json", r.MediaType);
        });
        var rows = await BookedRowsAsync();
        Assert.Equal(["r1", "r2"], rows.Select(r => r.ResourceId));
        Assert.Equal(won.Select(r => r.Body.Text("bookingId")).Order(), rows.Select(r => r.BookingId).Order());
    }
}
