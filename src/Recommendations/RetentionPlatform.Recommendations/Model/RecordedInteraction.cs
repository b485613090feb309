namespace RetentionPlatform.Recommendations.Model;

/// <summary>An interaction with the event it came from (one row of <c>recommendations.interactions</c>).</summary>
public sealed record RecordedInteraction(string EventId, Interaction Interaction);
