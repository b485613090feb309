using System.Text.Json.Serialization;

namespace RetentionPlatform.Events.Model;

/// <summary>What became of one event of a batch.</summary>
/// <param name="Index">The event's position in the request's <c>events</c> array, from 0.</param>
/// <param name="EventId">The event id (the partner's, or the one assigned); null for an invalid event.</param>
/// <param name="Status">One of <see cref="EventStatus"/>.</param>
/// <param name="Errors">For an invalid event, its problems by field name; left out otherwise.</param>
public sealed record BatchItemResult(
    int Index,
    string? EventId,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string[]>? Errors = null);
