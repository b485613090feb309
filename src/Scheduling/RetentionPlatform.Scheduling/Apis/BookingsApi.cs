using System.Globalization;
using NodaTime;
using RetentionPlatform.Scheduling.Infrastructure;
using RetentionPlatform.Scheduling.Model;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Scheduling.Apis;

/// <summary>
/// Availability, appointments and the waitlist over REST (through the gateway under <c>/v1/scheduling</c>). Errors:
/// 400 for a malformed request or an unknown service or resource (naming the field), 404 for an unknown booking,
/// 409 when someone else took the slot (or a client key made another booking), 422 when the rules refuse it
/// (outside working hours, closed, past a cut-off, an appointment already closed).
/// </summary>
public static class BookingsApi
{
    private const long MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapBookingsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/scheduling").RequireTenant().WithTags("Scheduling")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes));
        group.MapGet("/availability", Availability);
        group.MapPost("/bookings", Book);
        group.MapGet("/bookings", List);
        group.MapGet("/bookings/{bookingId}", Get);
        group.MapPost("/bookings/{bookingId}/reschedule", Reschedule);
        group.MapPost("/bookings/{bookingId}/cancel", Cancel);
        group.MapPost("/bookings/{bookingId}/complete", (string bookingId, HttpContext context, Scheduler scheduler, ScheduleStore store, CancellationToken ct) =>
            Settle(bookingId, BookingStatus.Completed, context, scheduler, store, ct));
        group.MapPost("/bookings/{bookingId}/no-show", (string bookingId, HttpContext context, Scheduler scheduler, ScheduleStore store, CancellationToken ct) =>
            Settle(bookingId, BookingStatus.NoShow, context, scheduler, store, ct));
        group.MapPost("/waitlist", JoinWaitlist);
        group.MapGet("/waitlist/{entryId}", GetWaitlist);
        group.MapDelete("/waitlist/{entryId}", WithdrawWaitlist);
        return routes;
    }

    /// <summary>GET /v1/scheduling/availability?serviceId=&amp;from=YYYY-MM-DD&amp;to=YYYY-MM-DD[&amp;resourceId=][&amp;timeZone=]</summary>
    private static async Task<IResult> Availability(HttpContext context, Scheduler scheduler, CancellationToken ct)
    {
        var query = context.Request.Query;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var serviceId = Single(query, "serviceId", errors, required: true);
        var resourceId = Single(query, "resourceId", errors, required: false);
        var from = Date(query, "from", errors);
        var to = Date(query, "to", errors);
        var zoneId = Single(query, "timeZone", errors, required: false);
        var zone = zoneId is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId);
        if (zoneId is not null && zone is null)
        {
            errors["timeZone"] = [$"'{zoneId}' is not an IANA time zone such as Europe/Berlin or America/New_York."];
        }

        foreach (var name in query.Keys.Where(k => k is not ("serviceId" or "resourceId" or "from" or "to" or "timeZone")))
        {
            errors[name] = [$"'{name}' is not a parameter of this request. Parameters: serviceId, resourceId, from, to, timeZone."];
        }

        if (errors.Count > 0)
        {
            return ApiResults.Invalid(errors);
        }

        var result = await scheduler.SearchAsync(context.GetTenantId(), new AvailabilityQuery(serviceId!, resourceId, from!.Value, to!.Value, zone), ct);
        return result.Error is { } error ? ApiResults.Problem(error) : TypedResults.Ok(AvailabilityDocument.From(result.Value!));
    }

    /// <summary>POST /v1/scheduling/bookings: 201 with the booking, or 200 when its client key repeats an earlier booking.</summary>
    private static async Task<IResult> Book(HttpContext context, Scheduler scheduler, ScheduleStore store, CancellationToken ct)
    {
        var (document, problem) = await JsonRequestBody.ReadAsync(context, "booking", MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        using var _ = document;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var fields = BodyFields.Of(document!.RootElement, errors, "serviceId", "resourceId", "customerId", "startsAt", "customerTimeZone", "notes", "clientKey");
        var serviceId = fields.Id("serviceId", v => ScheduleIds.Validate(v, "service"));
        var resourceId = fields.Id("resourceId", v => ScheduleIds.Validate(v, "resource"), required: false);
        var customerId = fields.Id("customerId", CustomerId.Validate);
        var start = fields.Time("startsAt", required: true);
        var customerZone = fields.Text("customerTimeZone", 64);
        if (customerZone is not null && DateTimeZoneProviders.Tzdb.GetZoneOrNull(customerZone) is null)
        {
            errors["customerTimeZone"] = [$"'{customerZone}' is not an IANA time zone such as Europe/Berlin or America/New_York."];
        }

        var notes = fields.Text("notes", 1000);
        var clientKey = fields.Text("clientKey", 128);
        if (errors.Count > 0)
        {
            return ApiResults.Invalid(errors);
        }

        var tenantId = context.GetTenantId();
        var result = await scheduler.BookAsync(tenantId, new BookRequest(serviceId!, resourceId, customerId!, start!.Value, customerZone, notes, clientKey), ct);
        if (result.Error is { } error)
        {
            return ApiResults.Problem(error);
        }

        var body = BookingDocument.From(result.Value!, await store.GetAsync(tenantId, ct));
        if (result.Replayed)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
            return TypedResults.Ok(body);
        }

        return TypedResults.Created($"/v1/scheduling/bookings/{body.BookingId}", body);
    }

    private static async Task<IResult> Get(string bookingId, HttpContext context, BookingStore bookings, ScheduleStore store, CancellationToken ct)
    {
        var tenantId = context.GetTenantId();
        return ApiResults.PathId(bookingId) is { } id && await bookings.GetAsync(tenantId, id, ct) is { } booking
            ? TypedResults.Ok(BookingDocument.From(booking, await store.GetAsync(tenantId, ct)))
            : ApiResults.NotFound("Booking", PathSegment.Decode(bookingId));
    }

    /// <summary>GET /v1/scheduling/bookings?customerId=&amp;resourceId=&amp;from=&amp;to=&amp;limit= (times with an offset; limit 1-500, default 100).</summary>
    private static async Task<IResult> List(HttpContext context, BookingStore bookings, ScheduleStore store, CancellationToken ct)
    {
        var query = context.Request.Query;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var customerId = Single(query, "customerId", errors, required: false);
        if (customerId is not null && CustomerId.Validate(customerId) is { } bad)
        {
            errors["customerId"] = [bad];
        }

        var resourceId = Single(query, "resourceId", errors, required: false);
        if (resourceId is not null && ScheduleIds.Validate(resourceId, "resource") is { } badResource)
        {
            errors["resourceId"] = [badResource];
        }

        var from = Time(query, "from", errors);
        var until = Time(query, "to", errors);
        var limitText = Single(query, "limit", errors, required: false);
        var limit = 100;
        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 500))
        {
            errors["limit"] = ["The 'limit' parameter must be a whole number from 1 to 500."];
        }

        if (from is { } f && until is { } u && u <= f)
        {
            errors["to"] = ["The range ends before it starts."];
        }

        if (errors.Count > 0)
        {
            return ApiResults.Invalid(errors);
        }

        var tenantId = context.GetTenantId();
        var list = await bookings.ListAsync(tenantId, customerId, resourceId, from, until, limit, ct);
        var schedule = await store.GetAsync(tenantId, ct);
        return TypedResults.Ok(new BookingList([.. list.Select(b => BookingDocument.From(b, schedule))]));
    }

    private static async Task<IResult> Reschedule(string bookingId, HttpContext context, Scheduler scheduler, ScheduleStore store, CancellationToken ct)
    {
        var (document, problem) = await JsonRequestBody.ReadAsync(context, "request body", MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        using var _ = document;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var fields = BodyFields.Of(document!.RootElement, errors, "startsAt", "resourceId", "by");
        var start = fields.Time("startsAt", required: true);
        var resourceId = fields.Id("resourceId", v => ScheduleIds.Validate(v, "resource"), required: false);
        var by = ReadActor(fields);
        if (errors.Count > 0)
        {
            return ApiResults.Invalid(errors);
        }

        var tenantId = context.GetTenantId();
        if (ApiResults.PathId(bookingId) is not { } id)
        {
            return ApiResults.NotFound("Booking", PathSegment.Decode(bookingId));
        }

        return await Answer(await scheduler.RescheduleAsync(tenantId, id, new RescheduleRequest(start!.Value, resourceId, by), ct), tenantId, store, ct);
    }

    private static async Task<IResult> Cancel(string bookingId, HttpContext context, Scheduler scheduler, ScheduleStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? reason = null;
        var by = Actor.Customer;
        if (await HasBodyAsync(context, ct))
        {
            var (document, problem) = await JsonRequestBody.ReadAsync(context, "request body", MaxBodyBytes);
            if (problem is not null)
            {
                return problem;
            }

            using var _ = document;
            var fields = BodyFields.Of(document!.RootElement, errors, "reason", "by");
            reason = fields.Text("reason", 500);
            by = ReadActor(fields);
        }

        if (errors.Count > 0)
        {
            return ApiResults.Invalid(errors);
        }

        var tenantId = context.GetTenantId();
        if (ApiResults.PathId(bookingId) is not { } id)
        {
            return ApiResults.NotFound("Booking", PathSegment.Decode(bookingId));
        }

        return await Answer(await scheduler.CancelAsync(tenantId, id, new CancelRequest(reason, by), ct), tenantId, store, ct);
    }

    private static async Task<IResult> Settle(string bookingId, BookingStatus outcome, HttpContext context, Scheduler scheduler, ScheduleStore store, CancellationToken ct)
    {
        var tenantId = context.GetTenantId();
        if (ApiResults.PathId(bookingId) is not { } id)
        {
            return ApiResults.NotFound("Booking", PathSegment.Decode(bookingId));
        }

        return await Answer(await scheduler.SettleAsync(tenantId, id, outcome, ct), tenantId, store, ct);
    }

    private static async Task<IResult> JoinWaitlist(HttpContext context, Scheduler scheduler, CancellationToken ct)
    {
        var (document, problem) = await JsonRequestBody.ReadAsync(context, "waitlist entry", MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        using var _ = document;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var fields = BodyFields.Of(document!.RootElement, errors, "customerId", "serviceId", "resourceId", "date", "from", "until");
        var customerId = fields.Id("customerId", CustomerId.Validate);
        var serviceId = fields.Id("serviceId", v => ScheduleIds.Validate(v, "service"));
        var resourceId = fields.Id("resourceId", v => ScheduleIds.Validate(v, "resource"), required: false);
        var date = fields.Date("date");
        var from = fields.Time("from");
        var until = fields.Time("until");
        if (fields.Has("date") == (fields.Has("from") || fields.Has("until")))
        {
            errors.TryAdd("date", ["Give either a date (a whole day) or both from and until."]);
        }

        if (errors.Count > 0)
        {
            return ApiResults.Invalid(errors);
        }

        var result = await scheduler.JoinWaitlistAsync(context.GetTenantId(), new WaitlistRequest(customerId!, serviceId!, resourceId, date, from, until), ct);
        return result.Error is { } error
            ? ApiResults.Problem(error)
            : TypedResults.Created($"/v1/scheduling/waitlist/{result.Value!.EntryId}", WaitlistDocument.From(result.Value));
    }

    private static async Task<IResult> GetWaitlist(string entryId, HttpContext context, BookingStore bookings, CancellationToken ct)
    {
        return ApiResults.PathId(entryId) is { } id && await bookings.GetWaitlistAsync(context.GetTenantId(), id, ct) is { } entry
            ? TypedResults.Ok(WaitlistDocument.From(entry))
            : ApiResults.NotFound("Waitlist entry", PathSegment.Decode(entryId));
    }

    private static async Task<IResult> WithdrawWaitlist(string entryId, HttpContext context, BookingStore bookings, TimeProvider time, CancellationToken ct)
    {
        return ApiResults.PathId(entryId) is { } id && await bookings.WithdrawWaitlistAsync(context.GetTenantId(), id, Instant.FromDateTimeOffset(time.GetUtcNow()), ct)
            ? TypedResults.NoContent()
            : ApiResults.NotFound("Waitlist entry", PathSegment.Decode(entryId));
    }

    /// <summary>
    /// Whether the request carries a body (the cancel body is optional). Looked at, not guessed from headers: over
    /// HTTP/2 a streamed body has neither Content-Length nor Transfer-Encoding.
    /// </summary>
    private static async Task<bool> HasBodyAsync(HttpContext context, CancellationToken ct)
    {
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return false;
        }

        context.Request.EnableBuffering();
        try
        {
            var read = await context.Request.Body.ReadAsync(new byte[1], ct);
            context.Request.Body.Position = 0;
            return read > 0;
        }
        catch (BadHttpRequestException)
        {
            // Let the JSON reader meet the same problem and answer it as a ProblemDetails.
            return true;
        }
    }

    private static async Task<IResult> Answer(SchedulingResult<Booking> result, string tenantId, ScheduleStore store, CancellationToken ct) =>
        result.Error is { } error ? ApiResults.Problem(error) : TypedResults.Ok(BookingDocument.From(result.Value!, await store.GetAsync(tenantId, ct)));

    private static Actor ReadActor(BodyFields fields)
    {
        switch (fields.Text("by", 16))
        {
            case null or "customer":
                return Actor.Customer;
            case "business":
                return Actor.Business;
            default:
                fields.Errors["by"] = ["'by' is customer (self-service, bound by cut-offs) or business."];
                return Actor.Customer;
        }
    }

    private static string? Single(IQueryCollection query, string name, Dictionary<string, string[]> errors, bool required)
    {
        if (!query.TryGetValue(name, out var values))
        {
            if (required)
            {
                errors[name] = [$"The '{name}' parameter is required."];
            }

            return null;
        }

        if (values.Count != 1 || string.IsNullOrEmpty(values[0]) || values[0]!.Length > 256 || values[0]!.Any(char.IsControl))
        {
            errors[name] = [$"Give the '{name}' parameter once, 1-256 characters without control characters."];
            return null;
        }

        return values[0];
    }

    private static LocalDate? Date(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        var text = Single(query, name, errors, required: true);
        if (text is null)
        {
            return null;
        }

        if (BodyFields.ReadDate(text) is { } date)
        {
            return date;
        }

        errors[name] = [$"The '{name}' parameter must be a date, YYYY-MM-DD ({SchedulingCalendar.Range})."];
        return null;
    }

    private static Instant? Time(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        var text = Single(query, name, errors, required: false);
        if (text is null)
        {
            return null;
        }

        if (NodaTime.Text.OffsetDateTimePattern.ExtendedIso.Parse(text) is { Success: true } parsed && SchedulingCalendar.Contains(parsed.Value))
        {
            return parsed.Value.ToInstant();
        }

        errors[name] = [$"The '{name}' parameter must be an ISO 8601 time with an offset, {SchedulingCalendar.Range} (write + as %2B)."];
        return null;
    }
}
