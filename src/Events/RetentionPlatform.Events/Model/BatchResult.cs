namespace RetentionPlatform.Events.Model;

/// <summary>The answer to <c>POST /v1/events/batch</c>: the counts, and one result per event in request order.</summary>
/// <param name="Accepted">Events that are on the event bus now.</param>
/// <param name="Duplicates">Events whose id the tenant sent before or earlier in the batch.</param>
/// <param name="Invalid">Events that failed validation.</param>
/// <param name="Results">One per event of the request, in its order.</param>
public sealed record BatchResult(int Accepted, int Duplicates, int Invalid, IReadOnlyList<BatchItemResult> Results);
