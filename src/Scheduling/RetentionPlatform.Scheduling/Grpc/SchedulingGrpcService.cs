using Grpc.Core;
using RetentionPlatform.Scheduling.Infrastructure;
using RetentionPlatform.Scheduling.Model;
using RetentionPlatform.Tenancy;
using V1 = RetentionPlatform.Contracts.Scheduling.V1;

namespace RetentionPlatform.Scheduling.Grpc;

/// <summary>
/// <c>retention.scheduling.v1.Scheduling</c>: the same use cases as the REST API (<see cref="Apis.BookingsApi"/>),
/// through <see cref="Scheduler"/>. Requests are checked like REST bodies (INVALID_ARGUMENT with a BadRequest violation
/// per problem, named by the proto field); the scheduler's errors become NOT_FOUND, ABORTED (someone else got there
/// first) or FAILED_PRECONDITION (the rules refuse it). The tenant comes from the gateway-signed header only.
/// </summary>
public sealed class SchedulingGrpcService(Scheduler scheduler, BookingStore bookings, ScheduleStore schedules) : V1.Scheduling.SchedulingBase
{
    public const int DefaultListLimit = 100;

    public const int MaxListLimit = 500;

    public override async Task<V1.SearchAvailabilityResponse> SearchAvailability(V1.SearchAvailabilityRequest request, ServerCallContext context)
    {
        var tenantId = context.GetTenantId();
        var fields = new RequestFields();
        var serviceId = fields.ScheduleId("service_id", request.ServiceId, "service");
        var resourceId = fields.ScheduleId("resource_id", request.ResourceId, "resource", required: false);
        var from = fields.Date("from", request.From, required: true);
        var to = fields.Date("to", request.To, required: true);
        var zone = fields.Zone("time_zone", request.TimeZone);
        fields.ThrowIfInvalid();

        var result = await scheduler.SearchAsync(tenantId, new AvailabilityQuery(serviceId!, resourceId, from!.Value, to!.Value, zone), context.CancellationToken);
        return result.Error is { } error ? throw error.ToRpcException() : result.Value!.ToMessage();
    }

    public override async Task<V1.BookingResponse> Book(V1.BookRequest request, ServerCallContext context)
    {
        var tenantId = context.GetTenantId();
        var fields = new RequestFields();
        var serviceId = fields.ScheduleId("service_id", request.ServiceId, "service");
        var resourceId = fields.ScheduleId("resource_id", request.ResourceId, "resource", required: false);
        var customerId = fields.Customer("customer_id", request.CustomerId);
        var start = fields.Start("starts_at", request.StartsAt);
        var customerZone = fields.Zone("customer_time_zone", request.CustomerTimeZone);
        var notes = fields.Text("notes", request.Notes, 1000);
        var clientKey = fields.Text("client_key", request.ClientKey, 128);
        fields.ThrowIfInvalid();

        // The zone is kept as the caller wrote it, as REST keeps it: a client key then replays across both APIs.
        var ct = context.CancellationToken;
        var booking = new BookRequest(serviceId!, resourceId, customerId!, start!.Value, customerZone is null ? null : request.CustomerTimeZone, notes, clientKey);
        var result = await scheduler.BookAsync(tenantId, booking, ct);
        return await AnswerAsync(result, tenantId, ct);
    }

    public override async Task<V1.BookingResponse> Reschedule(V1.RescheduleRequest request, ServerCallContext context)
    {
        var tenantId = context.GetTenantId();
        var fields = new RequestFields();
        var bookingId = fields.Booking("booking_id", request.BookingId);
        var start = fields.Start("starts_at", request.StartsAt);
        var resourceId = fields.ScheduleId("resource_id", request.ResourceId, "resource", required: false);
        var by = fields.By("by", request.By);
        fields.ThrowIfInvalid();

        var ct = context.CancellationToken;
        return await AnswerAsync(await scheduler.RescheduleAsync(tenantId, bookingId!, new RescheduleRequest(start!.Value, resourceId, by), ct), tenantId, ct);
    }

    public override async Task<V1.BookingResponse> Cancel(V1.CancelRequest request, ServerCallContext context)
    {
        var tenantId = context.GetTenantId();
        var fields = new RequestFields();
        var bookingId = fields.Booking("booking_id", request.BookingId);
        var reason = fields.Text("reason", request.Reason, 500);
        var by = fields.By("by", request.By);
        fields.ThrowIfInvalid();

        var ct = context.CancellationToken;
        return await AnswerAsync(await scheduler.CancelAsync(tenantId, bookingId!, new CancelRequest(reason, by), ct), tenantId, ct);
    }

    public override Task<V1.BookingResponse> Complete(V1.BookingRef request, ServerCallContext context) =>
        SettleAsync(request, BookingStatus.Completed, context);

    public override Task<V1.BookingResponse> MarkNoShow(V1.BookingRef request, ServerCallContext context) =>
        SettleAsync(request, BookingStatus.NoShow, context);

    public override async Task<V1.BookingResponse> GetBooking(V1.BookingRef request, ServerCallContext context)
    {
        var tenantId = context.GetTenantId();
        var fields = new RequestFields();
        var bookingId = fields.Booking("booking_id", request.BookingId);
        fields.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var booking = await bookings.GetAsync(tenantId, bookingId!, ct)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"There is no booking '{bookingId}'."));
        return new V1.BookingResponse { Booking = booking.ToMessage(await schedules.GetAsync(tenantId, ct)) };
    }

    public override async Task<V1.ListBookingsResponse> ListBookings(V1.ListBookingsRequest request, ServerCallContext context)
    {
        var tenantId = context.GetTenantId();
        var fields = new RequestFields();
        var customerId = fields.Customer("customer_id", request.CustomerId);
        var limit = request.Limit == 0 ? DefaultListLimit : request.Limit;
        if (limit is < 1 or > MaxListLimit)
        {
            fields.Errors["limit"] = [$"The limit is a whole number from 1 to {MaxListLimit} (0 means {DefaultListLimit})."];
        }

        fields.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var list = await bookings.ListAsync(tenantId, customerId, null, null, null, limit, ct);
        var schedule = await schedules.GetAsync(tenantId, ct);
        var response = new V1.ListBookingsResponse();
        response.Bookings.AddRange(list.Select(b => b.ToMessage(schedule)));
        return response;
    }

    public override async Task<V1.WaitlistEntry> JoinWaitlist(V1.JoinWaitlistRequest request, ServerCallContext context)
    {
        var tenantId = context.GetTenantId();
        var fields = new RequestFields();
        var customerId = fields.Customer("customer_id", request.CustomerId);
        var serviceId = fields.ScheduleId("service_id", request.ServiceId, "service");
        var resourceId = fields.ScheduleId("resource_id", request.ResourceId, "resource", required: false);
        var date = fields.Date("date", request.Date, required: false);
        var from = fields.Time("from", request.From);
        var until = fields.Time("until", request.Until);
        if ((request.Date.Length > 0) == (request.From is not null || request.Until is not null))
        {
            fields.Errors.TryAdd("date", ["Give either a date (a whole day) or both from and until."]);
        }

        fields.ThrowIfInvalid();

        var result = await scheduler.JoinWaitlistAsync(tenantId, new WaitlistRequest(customerId!, serviceId!, resourceId, date, from, until), context.CancellationToken);
        return result.Error is { } error ? throw error.ToRpcException() : result.Value!.ToMessage();
    }

    private async Task<V1.BookingResponse> SettleAsync(V1.BookingRef request, BookingStatus outcome, ServerCallContext context)
    {
        var tenantId = context.GetTenantId();
        var fields = new RequestFields();
        var bookingId = fields.Booking("booking_id", request.BookingId);
        fields.ThrowIfInvalid();

        var ct = context.CancellationToken;
        return await AnswerAsync(await scheduler.SettleAsync(tenantId, bookingId!, outcome, ct), tenantId, ct);
    }

    private async Task<V1.BookingResponse> AnswerAsync(SchedulingResult<Booking> result, string tenantId, CancellationToken ct) =>
        result.Error is { } error ? throw error.ToRpcException() : result.ToResponse(await schedules.GetAsync(tenantId, ct));
}
