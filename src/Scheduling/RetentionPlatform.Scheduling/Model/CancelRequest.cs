namespace RetentionPlatform.Scheduling.Model;

/// <summary>Cancels an appointment.</summary>
public sealed record CancelRequest(string? Reason, Actor By);
