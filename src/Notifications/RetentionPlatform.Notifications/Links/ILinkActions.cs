namespace RetentionPlatform.Notifications.Links;

/// <summary>
/// What the customer-facing link pages do once a link's signature was checked: each records its effect in the
/// delivery log, publishes it on <c>retention.message-events.v1</c> and, where the profile must know at once,
/// tells Profiles. Every method is safe to call twice for the same link.
/// </summary>
public interface ILinkActions
{
    /// <summary>Records a human request on the customer's profile (pausing marketing automation); returns the case id.</summary>
    Task<string> RequestHumanAsync(LinkClaims link, string? reason, CancellationToken cancellationToken);

    /// <summary>Withdraws the customer's consent for the link's channel and purpose.</summary>
    Task UnsubscribeAsync(LinkClaims link, CancellationToken cancellationToken);

    /// <summary>Records a click on a tracked link (the page then redirects to <see cref="LinkClaims.Target"/>).</summary>
    Task RecordClickAsync(LinkClaims link, CancellationToken cancellationToken);

    /// <summary>Records that the message was opened (the tracking pixel was fetched).</summary>
    Task RecordOpenAsync(LinkClaims link, CancellationToken cancellationToken);

    /// <summary>Records the customer's feedback (score 1-5, an optional comment) as a feedback_submitted event.</summary>
    Task SubmitFeedbackAsync(LinkClaims link, int score, string? comment, CancellationToken cancellationToken);

    /// <summary>Cancels the appointment named by <see cref="LinkClaims.Target"/> as the customer; returns null when done, else why not, in words for the customer.</summary>
    Task<string?> CancelAppointmentAsync(LinkClaims link, CancellationToken cancellationToken);
}
