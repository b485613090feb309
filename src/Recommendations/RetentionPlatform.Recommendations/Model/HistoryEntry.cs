namespace RetentionPlatform.Recommendations.Model;

/// <summary>One entry of a customer's recent history inside the model.</summary>
internal readonly record struct HistoryEntry(int Item, InteractionKind Kind, DateTimeOffset At);
