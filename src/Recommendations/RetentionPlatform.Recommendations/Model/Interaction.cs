namespace RetentionPlatform.Recommendations.Model;

/// <summary>One customer's interaction with one item, as learned from a customer event.</summary>
public readonly record struct Interaction(string CustomerId, string ItemId, InteractionKind Kind, DateTimeOffset OccurredAt);
