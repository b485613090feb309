using System.Globalization;
using System.Text.Json;
using RetentionPlatform.Profiles.Model;

namespace RetentionPlatform.Profiles.Apis;

/// <summary>
/// Typed reads of a JSON object's fields that record a field error, instead of throwing, when a value has the
/// wrong type. Names are exact (camelCase); <paramref name="prefix"/> is put before field names in errors.
/// </summary>
internal readonly struct JsonFields(JsonElement body, FieldErrors errors, string prefix = "")
{
    public FieldErrors Errors => errors;

    /// <summary>Whether the field is present, even as null.</summary>
    public bool Has(string name) => body.TryGetProperty(name, out _);

    /// <summary>Whether the field is present as JSON null.</summary>
    public bool IsNull(string name) => body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Null;

    /// <summary>The field's value; null when absent or null.</summary>
    public JsonElement? Get(string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public string Path(string name) => prefix + name;

    public string? Text(string name)
    {
        if (Get(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        errors.Add(Path(name), $"The '{name}' field must be a string.");
        return null;
    }

    public bool? Flag(string name)
    {
        switch (Get(name)?.ValueKind)
        {
            case null:
                return null;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                errors.Add(Path(name), $"The '{name}' field must be true or false.");
                return null;
        }
    }

    public int? Integer(string name)
    {
        if (Get(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        errors.Add(Path(name), $"The '{name}' field must be a whole number.");
        return null;
    }

    public double? Number(string name)
    {
        if (Get(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number))
        {
            return number;
        }

        errors.Add(Path(name), $"The '{name}' field must be a number.");
        return null;
    }

    /// <summary>An ISO 8601 date and time with an offset.</summary>
    public DateTimeOffset? Time(string name)
    {
        if (Get(name) is null)
        {
            return null;
        }

        if (ApiValues.Time(Text(name)) is { } time)
        {
            return time;
        }

        if (!errors.Has(Path(name)))
        {
            errors.Add(Path(name), $"The '{name}' field must be an ISO 8601 time with an offset, for example 2026-11-23T10:15:00Z.");
        }

        return null;
    }

    /// <summary>A non-negative ISO 8601 duration such as <c>P7D</c> or <c>PT36H</c>.</summary>
    public TimeSpan? Duration(string name)
    {
        if (Get(name) is null)
        {
            return null;
        }

        if (ApiValues.TryParseDuration(Text(name), out var duration))
        {
            return duration;
        }

        if (!errors.Has(Path(name)))
        {
            errors.Add(Path(name), $"The '{name}' field must be a non-negative ISO 8601 duration, for example P7D or PT36H.");
        }

        return null;
    }

    /// <summary>A JSON object whose values are all strings.</summary>
    public Dictionary<string, string>? TextMap(string name)
    {
        if (Get(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(Path(name), $"The '{name}' field must be an object of strings.");
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind == JsonValueKind.String)
            {
                map[entry.Name] = entry.Value.GetString()!;
            }
            else
            {
                errors.Add($"{Path(name)}[{entry.Name}]", "The value must be a string.");
            }
        }

        return map;
    }

    /// <summary>A scalar as the text a segment condition compares with (numbers as written, true/false).</summary>
    public string? Scalar(string name)
    {
        var value = Get(name);
        switch (value?.ValueKind)
        {
            case null:
                return null;
            case JsonValueKind.String:
                return value.Value.GetString();
            case JsonValueKind.Number:
                return value.Value.GetRawText();
            case JsonValueKind.True or JsonValueKind.False:
                return value.Value.GetBoolean() ? "true" : "false";
            default:
                errors.Add(Path(name), $"The '{name}' field must be a string, a number or true/false.");
                return null;
        }
    }

    /// <summary>Records an error for every field not in <paramref name="known"/>, so a misspelt field is not silently ignored.</summary>
    public void RejectUnknown(params string[] known)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                errors.Add(Path(property.Name), string.Create(CultureInfo.InvariantCulture, $"'{property.Name}' is not a field of this request. Fields: {string.Join(", ", known)}."));
            }
        }
    }
}
