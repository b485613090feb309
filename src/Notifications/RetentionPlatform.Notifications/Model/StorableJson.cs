using System.Text.Json;

namespace RetentionPlatform.Notifications.Model;

/// <summary>
/// Whether request data can be stored and rendered: PostgreSQL's <c>jsonb</c> refuses the NUL character, and a lone
/// surrogate (<c>"\ud800"</c>) is not text at all. Found by the fuzz test as 500s; refused as bad input instead.
/// </summary>
public static class StorableJson
{
    /// <summary>Null when every string and property name in <paramref name="element"/> is storable, else why not.</summary>
    public static string? Problem(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Select(p => TextProblem(p) ?? Problem(p.Value)).FirstOrDefault(p => p is not null),
        JsonValueKind.Array => element.EnumerateArray().Select(Problem).FirstOrDefault(p => p is not null),
        JsonValueKind.String => StringProblem(element),
        _ => null,
    };

    /// <summary>Whether <paramref name="text"/> can be stored in a PostgreSQL text column (no NUL).</summary>
    public static bool IsStorableText(string? text) => text is null || !text.Contains('\0', StringComparison.Ordinal);

    private static string? TextProblem(JsonProperty property)
    {
        try
        {
            return IsStorableText(property.Name) ? null : "A property name contains the NUL character.";
        }
        catch (InvalidOperationException)
        {
            return "A property name is not valid Unicode (a lone surrogate).";
        }
    }

    private static string? StringProblem(JsonElement element)
    {
        try
        {
            return IsStorableText(element.GetString()) ? null : "A value contains the NUL character.";
        }
        catch (InvalidOperationException)
        {
            return "A value is not valid Unicode (a lone surrogate).";
        }
    }
}
