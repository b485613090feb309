namespace RetentionPlatform.Notifications.Links;

/// <summary>What a signed link in a message does.</summary>
public enum LinkAction
{
    /// <summary>"Talk to a person": a confirmation page, then a human request on the profile.</summary>
    Human,

    /// <summary>Unsubscribe from this purpose on this channel (a page, and RFC 8058 one-click POST).</summary>
    Unsubscribe,

    /// <summary>A tracked link: records the click and redirects to the signed target.</summary>
    Click,

    /// <summary>The open-tracking pixel.</summary>
    Open,

    /// <summary>The feedback form after an appointment.</summary>
    Feedback,

    /// <summary>Cancel the appointment the message is about (a confirmation page, then the cancellation).</summary>
    Cancel,
}
