using System.Globalization;
using System.Text.Json;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Events.Model;

/// <summary>
/// Reads one event from JSON and says precisely what is wrong with it: every problem is reported under
/// the name of the field that has it, as the partner wrote it.
/// </summary>
public static class EventValidator
{
    public const int MaxEventIdLength = 128;

    /// <summary>How far in the future an occurred-at may lie (partner clocks drift).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public static (IncomingEvent? Event, Dictionary<string, string[]> Errors) Validate(JsonElement body, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["An event must be a JSON object."];
            return (null, errors);
        }

        var type = ReadString(body, "type", errors, required: true);
        if (type is not null && !EventCatalog.V1Types.Contains(type))
        {
            errors["type"] = [$"'{type}' is not an event type of the v1 catalog."];
        }

        var customerId = ReadString(body, "customerId", errors, required: true);
        if (customerId is not null && CustomerId.Validate(customerId) is { } customerProblem)
        {
            errors["customerId"] = [customerProblem];
        }

        var eventId = ReadString(body, "eventId", errors, required: false);
        if (eventId is not null && (eventId.Length is 0 or > MaxEventIdLength || eventId.Any(char.IsControl)))
        {
            errors["eventId"] = [$"The event id must be 1-{MaxEventIdLength} printable characters."];
        }

        var occurredAt = now;
        var occurredText = ReadString(body, "occurredAt", errors, required: false);
        if (occurredText is not null)
        {
            if (!DateTimeOffset.TryParseExact(occurredText, ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out occurredAt)
                || !HasOffset(occurredText))
            {
                errors["occurredAt"] = ["The time must be ISO 8601 with a time zone, for example 2026-11-23T14:05:00Z."];
            }
            else if (occurredAt > now + MaxClockSkew)
            {
                errors["occurredAt"] = ["The time lies in the future."];
            }
        }

        JsonElement? properties = null;
        if (body.TryGetProperty("properties", out var props) && props.ValueKind != JsonValueKind.Null)
        {
            if (props.ValueKind != JsonValueKind.Object)
            {
                errors["properties"] = ["The properties must be a JSON object."];
            }
            else if (!IsValidText(props))
            {
                errors["properties"] = ["The properties contain text that is not valid UTF-8."];
            }
            else
            {
                properties = props;
            }
        }

        return errors.Count > 0
            ? (null, errors)
            : (new IncomingEvent(eventId ?? Guid.CreateVersion7(now).ToString("N"), type!, customerId!, occurredAt.ToUniversalTime(), properties), errors);
    }

    private static bool IsValidText(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!IsValidText(property.Value) || !TryGetName(property))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                return element.EnumerateArray().All(IsValidText);
            case JsonValueKind.String:
                try
                {
                    _ = element.GetString();
                    return true;
                }
                catch (InvalidOperationException)
                {
                    return false;
                }

            default:
                return true;
        }
    }

    private static bool TryGetName(JsonProperty property)
    {
        try
        {
            _ = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    private static string? ReadString(JsonElement body, string name, Dictionary<string, string[]> errors, bool required)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors[name] = [$"The '{name}' field is required."];
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors[name] = [$"The '{name}' field must be a string."];
            return null;
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            errors[name] = [$"The '{name}' field is not valid UTF-8 text."];
            return null;
        }
    }
}
