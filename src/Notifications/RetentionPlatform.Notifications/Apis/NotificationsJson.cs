using System.Text.Json;
using System.Text.Json.Serialization;

namespace RetentionPlatform.Notifications.Apis;

/// <summary>How request bodies are read: camelCase, unknown fields refused, enums as lower-case names.</summary>
internal static class NotificationsJson
{
    public static JsonSerializerOptions Strict { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>Reads <typeparamref name="T"/> from a body; on failure returns the field and reason for a 400.</summary>
    public static (T? Value, Dictionary<string, string[]>? Errors) Read<T>(JsonElement body)
        where T : class
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, new() { ["$"] = ["The body must be a JSON object."] });
        }

        try
        {
            return (body.Deserialize<T>(Strict), null);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "$" : e.Path.TrimStart('$', '.');
            var reason = e.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? "This field is not part of the request."
                : "The value has the wrong type or format.";
            return (null, new() { [field] = [$"{reason} ({Sanitize(e.Message)})"] });
        }
    }

    private static string Sanitize(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
