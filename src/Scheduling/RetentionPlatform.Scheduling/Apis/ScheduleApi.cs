using NodaTime;
using RetentionPlatform.Scheduling.Infrastructure;
using RetentionPlatform.Scheduling.Model;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Scheduling.Apis;

/// <summary>
/// The business's schedule over REST (through the gateway under <c>/v1/scheduling</c>): locations with their time
/// zone and closed days, resources with working hours and time off, services with durations, buffers, price and
/// booking rules. PUT creates (201) or replaces (200); removing a resource or service with upcoming appointments is
/// refused (409) so no customer is left with an appointment nobody will keep.
/// </summary>
public static class ScheduleApi
{
    private const long MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapScheduleApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/scheduling").RequireTenant().WithTags("Scheduling")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes));
        group.MapPut("/locations/{locationId}", PutLocation);
        group.MapGet("/locations/{locationId}", GetLocation);
        group.MapGet("/locations", ListLocations);
        group.MapPut("/resources/{resourceId}", PutResource);
        group.MapGet("/resources/{resourceId}", GetResource);
        group.MapGet("/resources", ListResources);
        group.MapDelete("/resources/{resourceId}", DeleteResource);
        group.MapPost("/resources/{resourceId}/time-off", AddTimeOff);
        group.MapDelete("/resources/{resourceId}/time-off/{timeOffId}", DeleteTimeOff);
        group.MapPut("/services/{serviceId}", PutService);
        group.MapGet("/services/{serviceId}", GetService);
        group.MapGet("/services", ListServices);
        group.MapDelete("/services/{serviceId}", DeleteService);
        return routes;
    }

    private static async Task<IResult> PutLocation(string locationId, HttpContext context, ScheduleStore store, TimeProvider time, CancellationToken ct)
    {
        var (document, problem) = await JsonRequestBody.ReadAsync(context, "location", MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        using var _ = document;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var id = PathId(locationId, "location", "locationId", errors);
        var fields = BodyFields.Of(document!.RootElement, errors, "name", "timeZone", "holidays");
        var name = fields.Text("name", required: true);
        var zoneId = fields.Text("timeZone", 64, required: true);
        var zone = zoneId is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId);
        if (zoneId is not null && zone is null)
        {
            errors["timeZone"] = [$"'{zoneId}' is not an IANA time zone such as Europe/Berlin or America/New_York."];
        }

        var holidays = new HashSet<LocalDate>();
        foreach (var text in fields.Strings("holidays", 1000) ?? [])
        {
            if (BodyFields.ReadDate(text) is { } date)
            {
                holidays.Add(date);
            }
            else
            {
                errors["holidays"] = [$"'{text}' is not a date YYYY-MM-DD."];
            }
        }

        if (errors.Count > 0)
        {
            return ApiResults.Invalid(errors);
        }

        var location = new Location(id!, name!, zone!, holidays);
        var created = await store.UpsertLocationAsync(context.GetTenantId(), location, Now(time), ct);
        var body = LocationDocument.From(location);
        return created ? TypedResults.Created($"/v1/scheduling/locations/{Uri.EscapeDataString(location.LocationId)}", body) : TypedResults.Ok(body);
    }

    private static async Task<IResult> GetLocation(string locationId, HttpContext context, ScheduleStore store, CancellationToken ct)
    {
        locationId = PathSegment.Decode(locationId);
        var schedule = await store.GetAsync(context.GetTenantId(), ct);
        return schedule.Locations.TryGetValue(locationId, out var location)
            ? TypedResults.Ok(LocationDocument.From(location))
            : ApiResults.NotFound("Location", locationId);
    }

    private static async Task<IResult> ListLocations(HttpContext context, ScheduleStore store, CancellationToken ct)
    {
        var schedule = await store.GetAsync(context.GetTenantId(), ct);
        return TypedResults.Ok(new { locations = schedule.Locations.Values.OrderBy(l => l.LocationId, StringComparer.Ordinal).Select(LocationDocument.From) });
    }

    private static async Task<IResult> PutResource(string resourceId, HttpContext context, ScheduleStore store, TimeProvider time, CancellationToken ct)
    {
        var (document, problem) = await JsonRequestBody.ReadAsync(context, "resource", MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        using var _ = document;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var id = PathId(resourceId, "resource", "resourceId", errors);
        var fields = BodyFields.Of(document!.RootElement, errors, "name", "kind", "locationId", "workingHours");
        var name = fields.Text("name", required: true);
        var kind = fields.Text("kind", 32) ?? "staff";
        var locationId = fields.Id("locationId", v => ScheduleIds.Validate(v, "location"));
        var hours = fields.Hours("workingHours");
        var tenantId = context.GetTenantId();
        var schedule = await store.GetAsync(tenantId, ct);
        if (locationId is not null && !schedule.Locations.ContainsKey(locationId))
        {
            errors["locationId"] = [$"There is no location '{locationId}'; PUT /v1/scheduling/locations/{locationId} first."];
        }

        if (errors.Count > 0)
        {
            return ApiResults.Invalid(errors);
        }

        var resource = new Resource(id!, locationId!, name!, kind, hours!);
        var created = await store.UpsertResourceAsync(tenantId, resource, Now(time), ct);
        var body = ResourceDocument.From(resource, schedule);
        return created ? TypedResults.Created($"/v1/scheduling/resources/{Uri.EscapeDataString(resource.ResourceId)}", body) : TypedResults.Ok(body);
    }

    private static async Task<IResult> GetResource(string resourceId, HttpContext context, ScheduleStore store, CancellationToken ct)
    {
        resourceId = PathSegment.Decode(resourceId);
        var schedule = await store.GetAsync(context.GetTenantId(), ct);
        return schedule.Resources.TryGetValue(resourceId, out var resource)
            ? TypedResults.Ok(ResourceDocument.From(resource, schedule))
            : ApiResults.NotFound("Resource", resourceId);
    }

    private static async Task<IResult> ListResources(HttpContext context, ScheduleStore store, CancellationToken ct)
    {
        var schedule = await store.GetAsync(context.GetTenantId(), ct);
        return TypedResults.Ok(new { resources = schedule.Resources.Values.OrderBy(r => r.ResourceId, StringComparer.Ordinal).Select(r => ResourceDocument.From(r, schedule)) });
    }

    private static Task<IResult> DeleteResource(string resourceId, HttpContext context, ScheduleStore store, BookingStore bookings, TimeProvider time, CancellationToken ct) =>
        Remove(ScheduleEntity.Resource, PathSegment.Decode(resourceId), context, store, bookings, time, ct);

    private static Task<IResult> DeleteService(string serviceId, HttpContext context, ScheduleStore store, BookingStore bookings, TimeProvider time, CancellationToken ct) =>
        Remove(ScheduleEntity.Service, PathSegment.Decode(serviceId), context, store, bookings, time, ct);

    private static async Task<IResult> Remove(ScheduleEntity entity, string id, HttpContext context, ScheduleStore store, BookingStore bookings, TimeProvider time, CancellationToken ct)
    {
        var tenantId = context.GetTenantId();
        var what = entity == ScheduleEntity.Resource ? "Resource" : "Service";
        if (ScheduleIds.Validate(id, what) is not null)
        {
            return ApiResults.NotFound(what, id);
        }

        var now = Now(time);
        var upcoming = await bookings.CountUpcomingAsync(tenantId, entity, id, now, ct);
        if (upcoming > 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"{what} has upcoming appointments",
                detail: $"{upcoming} booked appointment(s) still need the {what.ToLowerInvariant()} '{id}'; cancel or move them first.");
        }

        return await store.RemoveAsync(tenantId, entity, id, now, ct) ? TypedResults.NoContent() : ApiResults.NotFound(what, id);
    }

    private static async Task<IResult> AddTimeOff(string resourceId, HttpContext context, ScheduleStore store, CancellationToken ct)
    {
        var (document, problem) = await JsonRequestBody.ReadAsync(context, "time off", MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        using var _ = document;
        resourceId = PathSegment.Decode(resourceId);
        var tenantId = context.GetTenantId();
        var schedule = await store.GetAsync(tenantId, ct);
        if (!schedule.Resources.ContainsKey(resourceId))
        {
            return ApiResults.NotFound("Resource", resourceId);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var fields = BodyFields.Of(document!.RootElement, errors, "startsAt", "endsAt", "reason");
        var start = fields.Time("startsAt", required: true);
        var end = fields.Time("endsAt", required: true);
        var reason = fields.Text("reason");
        if (start is { } s && end is { } e && e <= s)
        {
            errors["endsAt"] = ["The time off ends before it starts."];
        }

        if (errors.Count > 0)
        {
            return ApiResults.Invalid(errors);
        }

        var timeOff = new TimeOff($"to-{Guid.CreateVersion7():N}", resourceId, new Interval(start!.Value, end!.Value), reason);
        await store.AddTimeOffAsync(tenantId, timeOff, ct);
        return TypedResults.Created($"/v1/scheduling/resources/{Uri.EscapeDataString(resourceId)}/time-off/{timeOff.TimeOffId}", TimeOffDocument.From(timeOff));
    }

    private static async Task<IResult> DeleteTimeOff(string resourceId, string timeOffId, HttpContext context, ScheduleStore store, CancellationToken ct) =>
        ApiResults.PathId(resourceId) is { } resource && ApiResults.PathId(timeOffId) is { } id
            && await store.RemoveTimeOffAsync(context.GetTenantId(), resource, id, ct)
            ? TypedResults.NoContent()
            : ApiResults.NotFound("Time off", PathSegment.Decode(timeOffId));

    private static async Task<IResult> PutService(string serviceId, HttpContext context, ScheduleStore store, TimeProvider time, CancellationToken ct)
    {
        var (document, problem) = await JsonRequestBody.ReadAsync(context, "service", MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        using var _ = document;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var id = PathId(serviceId, "service", "serviceId", errors);
        var fields = BodyFields.Of(document!.RootElement, errors, "name", "duration", "bufferBefore", "bufferAfter", "resourceIds", "price", "currency",
            "minimumNotice", "bookingHorizon", "cancellationCutoff", "rescheduleCutoff", "slotStep", "reminderOffsets");
        var defaults = BookingPolicy.Default;
        var minute = Duration.FromMinutes(1);
        var name = fields.Text("name", required: true);
        var duration = fields.Duration("duration", minute, Duration.FromHours(24), required: true);
        var bufferBefore = fields.Duration("bufferBefore", Duration.Zero, Duration.FromHours(8)) ?? Duration.Zero;
        var bufferAfter = fields.Duration("bufferAfter", Duration.Zero, Duration.FromHours(8)) ?? Duration.Zero;
        var price = fields.Decimal("price");
        var currency = fields.Text("currency", 3);
        if (currency is not null && (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)))
        {
            errors["currency"] = ["The currency is an ISO 4217 code such as EUR or USD."];
        }

        var policy = new BookingPolicy(
            fields.Duration("minimumNotice", Duration.Zero, Duration.FromDays(365)) ?? defaults.MinimumNotice,
            fields.Duration("bookingHorizon", Duration.FromHours(1), Duration.FromDays(730)) ?? defaults.BookingHorizon,
            fields.Duration("cancellationCutoff", Duration.Zero, Duration.FromDays(30)) ?? defaults.CancellationCutoff,
            fields.Duration("rescheduleCutoff", Duration.Zero, Duration.FromDays(30)) ?? defaults.RescheduleCutoff,
            fields.Duration("slotStep", Duration.FromMinutes(5), Duration.FromHours(24)) ?? defaults.SlotStep,
            ReminderOffsets(fields) ?? defaults.ReminderOffsets);
        foreach (var (field, value) in new[] { ("duration", duration), ("bufferBefore", bufferBefore), ("bufferAfter", bufferAfter), ("slotStep", policy.SlotStep) })
        {
            if (value is { } d && d.BclCompatibleTicks % minute.BclCompatibleTicks != 0)
            {
                errors[field] = ["Give whole minutes."];
            }
        }

        var resourceIds = fields.Strings("resourceIds", 500);
        var tenantId = context.GetTenantId();
        var schedule = await store.GetAsync(tenantId, ct);
        if (resourceIds is null || resourceIds.Count == 0)
        {
            errors.TryAdd("resourceIds", ["Name at least one resource that performs the service."]);
        }
        else if (resourceIds.FirstOrDefault(r => !schedule.Resources.ContainsKey(r)) is { } unknown)
        {
            errors["resourceIds"] = [$"There is no resource '{unknown}'; PUT it first."];
        }
        else if (resourceIds.Distinct(StringComparer.Ordinal).Count() != resourceIds.Count)
        {
            errors["resourceIds"] = ["Name each resource once."];
        }

        if (errors.Count > 0)
        {
            return ApiResults.Invalid(errors);
        }

        var service = new ServiceDefinition(id!, name!, duration!.Value, bufferBefore, bufferAfter, resourceIds!, price, currency, policy);
        var created = await store.UpsertServiceAsync(tenantId, service, Now(time), ct);
        var body = ServiceDocument.From(service);
        return created ? TypedResults.Created($"/v1/scheduling/services/{Uri.EscapeDataString(service.ServiceId)}", body) : TypedResults.Ok(body);
    }

    private static async Task<IResult> GetService(string serviceId, HttpContext context, ScheduleStore store, CancellationToken ct)
    {
        serviceId = PathSegment.Decode(serviceId);
        var schedule = await store.GetAsync(context.GetTenantId(), ct);
        return schedule.Services.TryGetValue(serviceId, out var service)
            ? TypedResults.Ok(ServiceDocument.From(service))
            : ApiResults.NotFound("Service", serviceId);
    }

    private static async Task<IResult> ListServices(HttpContext context, ScheduleStore store, CancellationToken ct)
    {
        var schedule = await store.GetAsync(context.GetTenantId(), ct);
        return TypedResults.Ok(new { services = schedule.Services.Values.OrderBy(s => s.ServiceId, StringComparer.Ordinal).Select(ServiceDocument.From) });
    }

    private static List<Duration>? ReminderOffsets(BodyFields fields)
    {
        if (fields.Strings("reminderOffsets", 5) is not { } texts)
        {
            return null;
        }

        var offsets = new List<Duration>();
        foreach (var text in texts)
        {
            if (IsoDuration.Parse(text) is { } offset && offset >= Duration.FromSeconds(1) && offset <= Duration.FromDays(30))
            {
                offsets.Add(offset);
            }
            else
            {
                fields.Errors["reminderOffsets"] = [$"'{text}' is not an ISO 8601 duration from PT1S to P30D, such as PT24H."];
            }
        }

        return [.. offsets.Distinct().OrderDescending()];
    }

    private static string? PathId(string raw, string what, string field, Dictionary<string, string[]> errors)
    {
        var id = PathSegment.Decode(raw);
        if (ScheduleIds.Validate(id, what) is { } problem)
        {
            errors[field] = [problem];
            return null;
        }

        return id;
    }

    private static Instant Now(TimeProvider time) => Instant.FromDateTimeOffset(time.GetUtcNow());
}
