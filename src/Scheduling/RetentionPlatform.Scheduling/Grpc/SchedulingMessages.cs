using System.Text;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using NodaTime;
using RetentionPlatform.Scheduling.Apis;
using RetentionPlatform.Scheduling.Model;
using RetentionPlatform.Tenancy;
using V1 = RetentionPlatform.Contracts.Scheduling.V1;

namespace RetentionPlatform.Scheduling.Grpc;

/// <summary>Conversions between the model and the gRPC messages, and scheduling errors as gRPC statuses.</summary>
internal static class SchedulingMessages
{
    /// <summary>An appointment as answered: the same local times and zone as the REST <see cref="BookingDocument"/>.</summary>
    public static V1.Booking ToMessage(this Booking booking, TenantSchedule schedule)
    {
        var document = BookingDocument.From(booking, schedule);
        return new V1.Booking
        {
            BookingId = booking.BookingId,
            ServiceId = booking.ServiceId,
            ResourceId = booking.ResourceId,
            LocationId = booking.LocationId,
            CustomerId = booking.CustomerId,
            StartsAt = booking.Start.ToTimestamp(),
            EndsAt = booking.End.ToTimestamp(),
            Status = document.Status,
            LocalStartsAt = document.LocalStartsAt,
            TimeZone = document.TimeZone,
            CustomerTimeZone = booking.CustomerTimeZone ?? "",
            Notes = booking.Notes ?? "",
            ClientKey = booking.ClientKey ?? "",
            CancelReason = booking.CancelReason ?? "",
        };
    }

    public static V1.BookingResponse ToResponse(this SchedulingResult<Booking> result, TenantSchedule schedule) =>
        new() { Booking = result.Value!.ToMessage(schedule), Replayed = result.Replayed };

    public static V1.SearchAvailabilityResponse ToMessage(this AvailabilityResult result)
    {
        var message = new V1.SearchAvailabilityResponse { ServiceId = result.Service.ServiceId, TimeZone = result.TimeZone.Id };
        foreach (var slot in result.Slots)
        {
            message.Slots.Add(new V1.AvailableSlot
            {
                StartsAt = slot.Start.ToTimestamp(),
                EndsAt = slot.End.ToTimestamp(),
                LocalStartsAt = BookingDocument.Local(slot.Start, result.TimeZone),
                ResourceIds = { slot.ResourceIds },
            });
        }

        return message;
    }

    public static V1.WaitlistEntry ToMessage(this WaitlistEntry entry) => new()
    {
        EntryId = entry.EntryId,
        CustomerId = entry.CustomerId,
        ServiceId = entry.ServiceId,
        ResourceId = entry.ResourceId ?? "",
        WindowFrom = entry.Window.Start.ToTimestamp(),
        WindowUntil = entry.Window.End.ToTimestamp(),
        Status = entry.Status,
        OfferedStartsAt = entry.OfferedStart?.ToTimestamp(),
        OfferedResourceId = entry.OfferedResourceId ?? "",
    };

    public static Timestamp ToTimestamp(this Instant instant)
    {
        var seconds = instant.ToUnixTimeSeconds();
        return new Timestamp { Seconds = seconds, Nanos = (int)(instant - Instant.FromUnixTimeSeconds(seconds)).ToInt64Nanoseconds() };
    }

    /// <summary>Who asks: unspecified is the customer (bound by cut-offs), as when REST is sent no <c>by</c>.</summary>
    public static Actor? ToActor(this V1.Actor by) => by switch
    {
        V1.Actor.Unspecified or V1.Actor.Customer => Actor.Customer,
        V1.Actor.Business => Actor.Business,
        _ => null,
    };

    /// <summary>
    /// The error as the status the proto promises: INVALID_ARGUMENT with a BadRequest violation naming the request
    /// field, NOT_FOUND, ABORTED (someone else got there first) or FAILED_PRECONDITION (the rules refuse it).
    /// </summary>
    public static RpcException ToRpcException(this SchedulingError error) => error.Kind switch
    {
        SchedulingErrorKind.Invalid => TenantGrpcExtensions.InvalidArgument(SnakeCase(error.Field ?? "request"), error.Detail),
        SchedulingErrorKind.NotFound => new RpcException(new Status(StatusCode.NotFound, error.Detail)),
        SchedulingErrorKind.Conflict => new RpcException(new Status(StatusCode.Aborted, $"{error.Title}: {error.Detail}")),
        _ => new RpcException(new Status(StatusCode.FailedPrecondition, $"{error.Title}: {error.Detail}")),
    };

    /// <summary>A model field name (camelCase, as REST names it) as the proto names it: <c>serviceId</c> is <c>service_id</c>.</summary>
    public static string SnakeCase(string field)
    {
        var text = new StringBuilder(field.Length + 4);
        foreach (var c in field)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                text.Append('_').Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
