namespace RetentionPlatform.Notifications.Model;

/// <summary>The signed links of one message. Templates see them as <c>links.human</c>, <c>links.unsubscribe</c>, ...</summary>
/// <param name="Human">"Talk to a person": records a human request and pauses marketing automation.</param>
/// <param name="Unsubscribe">Stops messages of this purpose on this channel.</param>
/// <param name="Feedback">The feedback form (feedback requests only); null otherwise.</param>
/// <param name="Reschedule">Where to reschedule the appointment (reminders only); null otherwise.</param>
/// <param name="Cancel">Where to cancel the appointment (reminders only); null otherwise.</param>
/// <param name="TrackClick">Wraps a URL in a signed click-tracking redirect; null when the message is not tracked.</param>
public sealed record MessageLinks(Uri Human, Uri Unsubscribe, Uri? Feedback, Uri? Reschedule, Uri? Cancel, Func<Uri, Uri>? TrackClick);
