using System.Globalization;
using System.Text.Json;

namespace RetentionPlatform.Profiles.Model;

/// <summary>Tolerant reads of an event's <c>properties</c>: a missing or mistyped property is simply absent.</summary>
internal readonly struct EventProperties(JsonElement root)
{
    public static EventProperties Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return new EventProperties(document.RootElement.Clone());
        }
        catch (JsonException)
        {
            return default;
        }
    }

    public JsonElement Root => root;

    public bool IsObject => root.ValueKind == JsonValueKind.Object;

    public JsonElement? Get(string name) =>
        IsObject && root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public string? Text(string name, int maxLength = 256)
    {
        var value = Get(name);
        var text = value?.ValueKind switch
        {
            JsonValueKind.String => value.Value.GetString(),
            JsonValueKind.Number => value.Value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Length > maxLength ? text[..maxLength] : text.Trim();
    }

    public decimal? Decimal(string name)
    {
        var value = Get(name);
        return value?.ValueKind switch
        {
            JsonValueKind.Number when value.Value.TryGetDecimal(out var number) => number,
            JsonValueKind.String when decimal.TryParse(value.Value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    public bool? Flag(string name)
    {
        var value = Get(name);
        return value?.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        };
    }

    public DateTimeOffset? Time(string name)
    {
        var text = Text(name);
        return text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUniversalTime()
            : null;
    }

    public ContactChannel? Channel(string name = "channel") => ContactNames.TryParseChannel(Text(name), out var channel) ? channel : null;

    public ContactPurpose? Purpose(string name = "purpose") => ContactNames.TryParsePurpose(Text(name), out var purpose) ? purpose : null;
}
