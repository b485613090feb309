using System.Globalization;
using System.Net;
using System.Text.Json;

namespace RetentionPlatform.Scheduling.Tests.Service;

/// <summary>Sets up a tenant's schedule over REST and reads the answers; each test uses its own tenant.</summary>
public static class TestBusiness
{
    public static readonly string[] Days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    /// <summary>A tenant id no other test uses.</summary>
    public static string NewTenant() => $"t{Guid.NewGuid():N}"[..20];

    /// <summary>A list of ids for a request body.</summary>
    public static string[] Ids(params string[] ids) => ids;

    /// <summary>Working hours: the same intervals on each of <paramref name="days"/> (every day when none are named).</summary>
    public static Dictionary<string, object[]> Hours(string start, string end, params string[] days) =>
        (days.Length == 0 ? Days : days).ToDictionary(d => d, _ => new object[] { new { start, end } });

    public static async Task LocationAsync(SchedulingServiceHost host, string tenant, string locationId, string timeZone, params string[] holidays) =>
        await ExpectSuccessAsync(await host.PutAsync($"/v1/scheduling/locations/{locationId}", tenant, new { name = locationId, timeZone, holidays }));

    public static async Task ResourceAsync(SchedulingServiceHost host, string tenant, string resourceId, string locationId, Dictionary<string, object[]> workingHours) =>
        await ExpectSuccessAsync(await host.PutAsync($"/v1/scheduling/resources/{resourceId}", tenant, new { name = resourceId, kind = "staff", locationId, workingHours }));

    /// <summary>PUTs a service; <paramref name="body"/> is the whole service document (name, duration, resourceIds, rules).</summary>
    public static async Task ServiceAsync(SchedulingServiceHost host, string tenant, string serviceId, object body) =>
        await ExpectSuccessAsync(await host.PutAsync($"/v1/scheduling/services/{serviceId}", tenant, body));

    /// <summary>
    /// A business open around the clock in Europe/Berlin: location "main", resources "r1" and "r2" working 00:00-24:00
    /// every day, and the service "svc" (<paramref name="duration"/>, both resources, no notice) with the given rules.
    /// </summary>
    public static async Task AlwaysOpenAsync(
        SchedulingServiceHost host, string tenant, string duration = "PT30M", string cancellationCutoff = "PT0S", string rescheduleCutoff = "PT0S",
        string[]? reminderOffsets = null, string[]? resourceIds = null)
    {
        await LocationAsync(host, tenant, "main", "Europe/Berlin");
        await ResourceAsync(host, tenant, "r1", "main", Hours("00:00", "24:00"));
        await ResourceAsync(host, tenant, "r2", "main", Hours("00:00", "24:00"));
        await ServiceAsync(host, tenant, "svc", new
        {
            name = "Service",
            duration,
            resourceIds = resourceIds ?? ["r1", "r2"],
            minimumNotice = "PT0S",
            cancellationCutoff,
            rescheduleCutoff,
            slotStep = "PT5M",
            reminderOffsets = reminderOffsets ?? [],
        });
    }

    /// <summary>
    /// The first whole minute at least <paramref name="lead"/> from now that is a multiple of
    /// <paramref name="everyMinutes"/> (to land on the slot grid of <see cref="AlwaysOpenAsync"/>'s five-minute steps).
    /// </summary>
    public static DateTimeOffset StartAfter(TimeSpan lead, int everyMinutes = 1)
    {
        var start = NextWholeMinute(DateTimeOffset.UtcNow + lead);
        return start.AddMinutes((everyMinutes - start.Minute % everyMinutes) % everyMinutes);
    }

    public static DateTimeOffset NextWholeMinute(DateTimeOffset after)
    {
        var truncated = new DateTimeOffset(after.UtcDateTime.Ticks - after.UtcDateTime.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
        return truncated < after ? truncated.AddMinutes(1) : truncated;
    }

    /// <summary>An instant as the service writes it in events: <c>2026-12-01T08:00:00Z</c>.</summary>
    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Books and expects 201; returns the booking.</summary>
    public static async Task<JsonElement> BookAsync(SchedulingServiceHost host, string tenant, object body)
    {
        using var response = await host.PostAsync("/v1/scheduling/bookings", tenant, body);
        return await ExpectAsync(response, HttpStatusCode.Created);
    }

    public static async Task<JsonElement> GetBookingAsync(SchedulingServiceHost host, string tenant, string bookingId)
    {
        using var response = await host.GetAsync($"/v1/scheduling/bookings/{bookingId}", tenant);
        return await ExpectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>Asserts the status and returns the JSON body.</summary>
    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts a ProblemDetails answer with the status; returns it.</summary>
    public static async Task<JsonElement> ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await ExpectAsync(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>Asserts a 400 ValidationProblem that names <paramref name="field"/> among its errors.</summary>
    public static async Task<JsonElement> ExpectInvalidFieldAsync(HttpResponseMessage response, string field)
    {
        var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), $"Expected an error for '{field}': {problem}");
        return problem;
    }

    public static string Text(this JsonElement element, string name) => element.GetProperty(name).GetString()!;

    private static async Task ExpectSuccessAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
