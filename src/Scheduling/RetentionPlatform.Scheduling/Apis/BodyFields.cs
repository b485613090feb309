using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using RetentionPlatform.Scheduling.Model;

namespace RetentionPlatform.Scheduling.Apis;

/// <summary>
/// Typed reads of a JSON request object that record a field error instead of throwing: a wrong type, an unknown
/// field, a time without an offset. Field names are exact (camelCase).
/// </summary>
internal sealed class BodyFields(JsonElement body, Dictionary<string, string[]> errors)
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public Dictionary<string, string[]> Errors => errors;

    public bool Has(string name) => body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>The body as fields, or an error when it is not a JSON object.</summary>
    public static BodyFields Of(JsonElement body, Dictionary<string, string[]> errors, params string[] known)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["The body must be a JSON object."];
            return new BodyFields(EmptyObject, errors);
        }

        foreach (var property in body.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                errors[property.Name] = [$"'{property.Name}' is not a field of this request. Fields: {string.Join(", ", known)}."];
            }
        }

        return new BodyFields(body, errors);
    }

    public string? Text(string name, int maxLength = 200, bool required = false)
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

        var text = value.GetString()!;
        if (text.Length > maxLength || (required && text.Trim().Length == 0) || text.Any(char.IsControl))
        {
            errors[name] = [$"The '{name}' field must be 1-{maxLength} characters without control characters."];
            return null;
        }

        return text;
    }

    /// <summary>An id checked by <paramref name="validate"/> (which returns the problem or null).</summary>
    public string? Id(string name, Func<string?, string?> validate, bool required = true)
    {
        if (!Has(name) && !required)
        {
            return null;
        }

        var text = Text(name, 256, required);
        if (errors.ContainsKey(name))
        {
            return null;
        }

        if (validate(text) is { } problem)
        {
            errors[name] = [problem];
            return null;
        }

        return text;
    }

    public decimal? Decimal(string name)
    {
        if (!Has(name))
        {
            return null;
        }

        var value = body.GetProperty(name);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number) && number >= 0 && number < 1_000_000_000)
        {
            return number;
        }

        errors[name] = [$"The '{name}' field must be a non-negative number."];
        return null;
    }

    /// <summary>An ISO 8601 date and time with an offset (<c>2026-12-01T09:00:00+01:00</c> or <c>...Z</c>).</summary>
    public Instant? Time(string name, bool required = false)
    {
        var text = Text(name, 64, required);
        if (text is null)
        {
            return null;
        }

        var parsed = OffsetDateTimePattern.ExtendedIso.Parse(text);
        if (parsed.Success && SchedulingCalendar.Contains(parsed.Value))
        {
            return parsed.Value.ToInstant();
        }

        errors[name] = [$"The '{name}' field must be an ISO 8601 time with an offset ({SchedulingCalendar.Range}), for example 2026-12-01T09:00:00+01:00."];
        return null;
    }

    /// <summary>A date <c>YYYY-MM-DD</c>.</summary>
    public LocalDate? Date(string name, bool required = false)
    {
        var text = Text(name, 10, required);
        if (text is null)
        {
            return null;
        }

        if (ReadDate(text) is { } date)
        {
            return date;
        }

        errors[name] = [$"The '{name}' field must be a date, YYYY-MM-DD ({SchedulingCalendar.Range})."];
        return null;
    }

    /// <summary>An ISO 8601 duration such as <c>PT45M</c> within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public Duration? Duration(string name, Duration min, Duration max, bool required = false)
    {
        var text = Text(name, 40, required);
        if (text is null)
        {
            return null;
        }

        if (IsoDuration.Parse(text) is { } duration && duration >= min && duration <= max)
        {
            return duration;
        }

        errors[name] = [$"The '{name}' field must be an ISO 8601 duration from {IsoDuration.Format(min)} to {IsoDuration.Format(max)}, for example PT45M."];
        return null;
    }

    /// <summary>A JSON array of strings (null when absent).</summary>
    public List<string>? Strings(string name, int maxCount)
    {
        if (!Has(name))
        {
            return null;
        }

        var value = body.GetProperty(name);
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > maxCount || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            errors[name] = [$"The '{name}' field must be an array of at most {maxCount} strings."];
            return null;
        }

        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }

    /// <summary>Working hours: <c>{"monday": [{"start": "09:00", "end": "17:00"}], ...}</c>.</summary>
    public WeeklyHours? Hours(string name)
    {
        if (!Has(name))
        {
            errors[name] = [$"The '{name}' field is required, for example {{\"monday\": [{{\"start\": \"09:00\", \"end\": \"17:00\"}}]}}."];
            return null;
        }

        var before = errors.Count;
        var value = body.GetProperty(name);
        var text = new Dictionary<string, IReadOnlyList<WorkingHoursText>>(StringComparer.Ordinal);
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors[name] = [$"The '{name}' field must be an object of days."];
            return null;
        }

        foreach (var day in value.EnumerateObject())
        {
            if (day.Value.ValueKind != JsonValueKind.Array || day.Value.GetArrayLength() > 24)
            {
                errors[$"{name}.{day.Name}"] = ["A day is an array of at most 24 intervals {\"start\": \"HH:mm\", \"end\": \"HH:mm\"}."];
                continue;
            }

            text[day.Name] = [.. day.Value.EnumerateArray().Select(Interval)];
        }

        return errors.Count > before ? null : WeeklyHours.Parse(text, errors, name);
    }

    /// <summary>A date <c>YYYY-MM-DD</c> within <see cref="SchedulingCalendar"/>, or null.</summary>
    public static LocalDate? ReadDate(string? text) =>
        text is { Length: 10 } && LocalDatePattern.Iso.Parse(text) is { Success: true } parsed && SchedulingCalendar.Contains(parsed.Value) ? parsed.Value : null;

    private static WorkingHoursText Interval(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
            ? new WorkingHoursText(Field(element, "start"), Field(element, "end"))
            : new WorkingHoursText(null, null);

    private static string? Field(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
