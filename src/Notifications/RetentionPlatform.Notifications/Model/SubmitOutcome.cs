namespace RetentionPlatform.Notifications.Model;

/// <summary>What became of a send request: a new message, the earlier message of a repeated key, or a conflict.</summary>
/// <param name="Message">The message (new or earlier).</param>
/// <param name="Created">Whether this request created it.</param>
/// <param name="Conflict">Why the key cannot be reused; null when there is no conflict.</param>
public sealed record SubmitOutcome(Message Message, bool Created, string? Conflict);
