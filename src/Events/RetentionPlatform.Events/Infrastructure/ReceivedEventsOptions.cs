namespace RetentionPlatform.Events.Infrastructure;

/// <summary>How long received event ids are remembered (configuration section <c>Events</c>).</summary>
public sealed class ReceivedEventsOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Events";

    /// <summary>
    /// How long an event id is remembered after it was received (<c>Events:DuplicateWindow</c>): within it a resent
    /// event is answered as a duplicate and not published again. Consumers dedupe by event id as well, so an event
    /// resent after the window is published again but still applied once.
    /// </summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often ids older than the window are deleted (<c>Events:DuplicateCleanupInterval</c>).</summary>
    public TimeSpan DuplicateCleanupInterval { get; set; } = TimeSpan.FromHours(1);
}
