using System.Text.Json;
using System.Text.Json.Serialization;

namespace RetentionPlatform.Profiles;

/// <summary>Writes a trait as the plain JSON value it was sent as (<c>"gold"</c>, <c>42</c>, <c>true</c>).</summary>
public sealed class TraitValueJsonConverter : JsonConverter<TraitValue>
{
    /// <summary>Reads a JSON string, number or boolean; anything else is not a trait.</summary>
    public static TraitValue? FromJson(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => new TraitValue(Text: value.GetString()),
        JsonValueKind.Number => new TraitValue(Number: value.GetDouble()),
        JsonValueKind.True => new TraitValue(Flag: true),
        JsonValueKind.False => new TraitValue(Flag: false),
        _ => null,
    };

    public override TraitValue? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return FromJson(document.RootElement) ?? throw new JsonException("A trait must be a string, a number or true/false.");
    }

    public override void Write(Utf8JsonWriter writer, TraitValue value, JsonSerializerOptions options)
    {
        if (value.Text is not null)
        {
            writer.WriteStringValue(value.Text);
        }
        else if (value.Number is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteBooleanValue(value.Flag == true);
        }
    }
}
