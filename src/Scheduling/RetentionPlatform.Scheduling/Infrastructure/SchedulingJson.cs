using System.Text.Json;

namespace RetentionPlatform.Scheduling.Infrastructure;

/// <summary>The JSON shape of stored documents and event payloads: camelCase, nulls left out.</summary>
internal static class SchedulingJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
