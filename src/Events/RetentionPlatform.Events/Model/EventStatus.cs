namespace RetentionPlatform.Events.Model;

/// <summary>What became of one event of a request (the <c>status</c> field of every answer).</summary>
public static class EventStatus
{
    /// <summary>New: it is on the event bus now.</summary>
    public const string Accepted = "accepted";

    /// <summary>The tenant sent this event id before (or earlier in the same batch): nothing was published again.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>The event failed validation; the item's <c>errors</c> say why. Nothing was published.</summary>
    public const string Invalid = "invalid";
}
