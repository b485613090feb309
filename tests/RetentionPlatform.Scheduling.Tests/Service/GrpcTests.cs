using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using static RetentionPlatform.Scheduling.Tests.Service.TestBusiness;
using V1 = RetentionPlatform.Contracts.Scheduling.V1;

namespace RetentionPlatform.Scheduling.Tests.Service;

/// <summary>The gRPC API over HTTP/2, called as the gateway calls it: specific status codes, field violations named by the proto field.</summary>
public sealed class GrpcTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private readonly SchedulingServiceHost _host = fixture.Host;
    private readonly string _tenant = NewTenant();

    [Fact]
    public async Task BookingTheSameSlotTwiceIsAbortedForTheSecondCaller()
    {
        await AlwaysOpenAsync(_host, _tenant, resourceIds: ["r1"]);
        var start = Timestamp.FromDateTimeOffset(StartAfter(TimeSpan.FromHours(3)));

        var first = await _host.Grpc.BookAsync(new V1.BookRequest { ServiceId = "svc", CustomerId = "c-1", StartsAt = start }, _host.As(_tenant));
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Grpc.BookAsync(new V1.BookRequest { ServiceId = "svc", CustomerId = "c-2", StartsAt = start }, _host.As(_tenant)));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Equal("booked", first.Booking.Status);
        Assert.Equal(start, first.Booking.StartsAt);
        Assert.False(first.Replayed);
        var read = await _host.Grpc.GetBookingAsync(new V1.BookingRef { BookingId = first.Booking.BookingId }, _host.As(_tenant));
        Assert.Equal(("c-1", "r1"), (read.Booking.CustomerId, read.Booking.ResourceId));
    }

    [Fact]
    public async Task BookingAnUnknownServiceIsAnInvalidArgumentNamingServiceId()
    {
        await AlwaysOpenAsync(_host, _tenant);
        var start = Timestamp.FromDateTimeOffset(StartAfter(TimeSpan.FromHours(3)));

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Grpc.BookAsync(new V1.BookRequest { ServiceId = "massage", CustomerId = "c-1", StartsAt = start }, _host.As(_tenant)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var badRequest = error.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Contains(badRequest.FieldViolations, v => v.Field == "service_id");
    }

    [Fact]
    public async Task SearchingFromNewYorkAnswersTheBerlinSlotsInstantsAndLocalTimes()
    {
        await LocationAsync(_host, _tenant, "berlin", "Europe/Berlin");
        await ResourceAsync(_host, _tenant, "anna", "berlin", Hours("09:00", "17:00"));
        await ServiceAsync(_host, _tenant, "consult", new { name = "Consultation", duration = "PT60M", resourceIds = Ids("anna"), slotStep = "PT60M", bookingHorizon = "P700D" });

        var answer = await _host.Grpc.SearchAvailabilityAsync(
            new V1.SearchAvailabilityRequest { ServiceId = "consult", From = "2027-03-15", To = "2027-03-15", TimeZone = "America/New_York" }, _host.As(_tenant));

        Assert.Equal("America/New_York", answer.TimeZone);
        Assert.Equal(8, answer.Slots.Count);
        Assert.Equal(Timestamp.FromDateTimeOffset(new DateTimeOffset(2027, 3, 15, 8, 0, 0, TimeSpan.Zero)), answer.Slots[0].StartsAt);
        Assert.Equal(Timestamp.FromDateTimeOffset(new DateTimeOffset(2027, 3, 15, 9, 0, 0, TimeSpan.Zero)), answer.Slots[0].EndsAt);
        Assert.Equal(["anna"], answer.Slots[0].ResourceIds);
        // As scheduling.proto documents it: local time with its offset, e.g. "2026-03-29T09:00:00+02:00".
        Assert.Equal("2027-03-15T04:00:00-04:00", answer.Slots[0].LocalStartsAt);
    }

    [Fact]
    public async Task GettingAnUnknownBookingIsNotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Grpc.GetBookingAsync(new V1.BookingRef { BookingId = "bk-nope" }, _host.As(_tenant)));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }
}
