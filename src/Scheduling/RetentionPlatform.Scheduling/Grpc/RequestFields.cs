using Google.Protobuf.WellKnownTypes;
using NodaTime;
using RetentionPlatform.Scheduling.Apis;
using RetentionPlatform.Scheduling.Model;
using RetentionPlatform.Tenancy;
using V1 = RetentionPlatform.Contracts.Scheduling.V1;

namespace RetentionPlatform.Scheduling.Grpc;

/// <summary>
/// Checked reads of request message fields that record a problem under the proto field name (snake_case) instead of
/// throwing, with the same rules as the REST bodies (<see cref="BodyFields"/>). An empty string is an absent field.
/// </summary>
internal sealed class RequestFields
{
    /// <summary>The longest booking id looked up (REST reads ids of at most this length too).</summary>
    private const int MaxBookingIdLength = 256;

    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>Throws INVALID_ARGUMENT with every problem recorded, if there is one.</summary>
    public void ThrowIfInvalid()
    {
        if (Errors.Count > 0)
        {
            throw TenantGrpcExtensions.InvalidArgument(Errors);
        }
    }

    /// <summary>A service, resource or location id (<see cref="ScheduleIds"/>); null when optional and empty.</summary>
    public string? ScheduleId(string field, string value, string what, bool required = true) =>
        value.Length == 0 && !required ? null : Check(field, value, ScheduleIds.Validate(value, what));

    public string? Customer(string field, string value) => Check(field, value, CustomerId.Validate(value));

    public string? Booking(string field, string value) => Check(field, value,
        value.Length == 0 ? "A booking id is required."
        : value.Length > MaxBookingIdLength || value.Any(char.IsControl) ? $"A booking id has 1-{MaxBookingIdLength} characters without control characters."
        : null);

    /// <summary>Free text of at most <paramref name="maxLength"/> characters without control characters; null when empty.</summary>
    public string? Text(string field, string value, int maxLength) =>
        value.Length == 0 ? null
        : Check(field, value, value.Length > maxLength || value.Any(char.IsControl) ? $"The '{field}' field must be 1-{maxLength} characters without control characters." : null);

    /// <summary>An IANA zone id such as Europe/Berlin; null when empty.</summary>
    public DateTimeZone? Zone(string field, string value)
    {
        if (Text(field, value, 64) is not { } id)
        {
            return null;
        }

        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(id);
        if (zone is null)
        {
            Errors[field] = [$"'{id}' is not an IANA time zone such as Europe/Berlin or America/New_York."];
        }

        return zone;
    }

    /// <summary>A date <c>YYYY-MM-DD</c>; null when empty (a problem too when <paramref name="required"/>).</summary>
    public LocalDate? Date(string field, string value, bool required)
    {
        if (value.Length == 0)
        {
            if (required)
            {
                Errors[field] = [$"The '{field}' field is required, a date YYYY-MM-DD."];
            }

            return null;
        }

        if (BodyFields.ReadDate(value) is { } date)
        {
            return date;
        }

        Errors[field] = [$"The '{field}' field must be a date, YYYY-MM-DD."];
        return null;
    }

    /// <summary>A point in time; null when absent (a problem too when <paramref name="required"/>).</summary>
    public Instant? Time(string field, Timestamp? value, bool required = false)
    {
        if (value is null)
        {
            if (required)
            {
                Errors[field] = [$"The '{field}' field is required."];
            }

            return null;
        }

        // The range google.protobuf.Timestamp allows: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
        if (value.Seconds is < -62_135_596_800 or > 253_402_300_799 || value.Nanos is < 0 or > 999_999_999)
        {
            Errors[field] = [$"The '{field}' field is not a valid timestamp (years 0001-9999, nanos 0-999999999)."];
            return null;
        }

        var instant = Instant.FromUnixTimeSeconds(value.Seconds).PlusNanoseconds(value.Nanos);
        if (!SchedulingCalendar.Contains(instant))
        {
            Errors[field] = [$"The '{field}' field must be a time in {SchedulingCalendar.Range}."];
            return null;
        }

        return instant;
    }

    /// <summary>An appointment's start: required, on a whole minute (seconds and nanos zero).</summary>
    public Instant? Start(string field, Timestamp? value)
    {
        var start = Time(field, value, required: true);
        if (start is not null && (value!.Seconds % 60 != 0 || value.Nanos != 0))
        {
            Errors[field] = ["An appointment starts on a whole minute (seconds 00)."];
            return null;
        }

        return start;
    }

    public Actor By(string field, V1.Actor value)
    {
        if (value.ToActor() is { } actor)
        {
            return actor;
        }

        Errors[field] = [$"'{field}' is ACTOR_CUSTOMER (self-service, bound by cut-offs; the default) or ACTOR_BUSINESS."];
        return Actor.Customer;
    }

    private string? Check(string field, string value, string? problem)
    {
        if (problem is null)
        {
            return value;
        }

        Errors[field] = [problem];
        return null;
    }
}
