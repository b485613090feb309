using System.Globalization;
using NodaTime;

namespace RetentionPlatform.Profiles.Contact;

/// <summary>
/// The contact decision on live state (ARCHITECTURE.md, "The contact decision"). Rules run from the most final
/// to the most temporary: a Deny (no consent, a context that makes the message wrong) beats a Defer (pause,
/// quiet hours, budget), so a deferred message is not asked again only to be denied then.
/// </summary>
public static class ContactDecider
{
    /// <summary>How long after an appointment starts a promotion waits.</summary>
    public static readonly TimeSpan AfterAppointment = TimeSpan.FromHours(2);

    public static ContactDecision Decide(CustomerProfile profile, ContactRequest request, ContactPolicy policy, DateTimeOffset now)
    {
        var (channel, purpose) = (request.Channel, request.Purpose);
        ContactDecision Deny(string reason, string detail) => new(ContactOutcome.Deny, reason, detail, null, now, channel, purpose, request.Kind);
        ContactDecision Defer(string reason, string detail, DateTimeOffset until) => new(ContactOutcome.Defer, reason, detail, until, now, channel, purpose, request.Kind);

        var consentKey = ContactNames.ConsentKey(channel, purpose);
        profile.Consent.TryGetValue(consentKey, out var consent);
        if (consent is { Granted: false })
        {
            return Deny(ContactReasons.ConsentWithdrawn, $"Consent for {consentKey} was withdrawn ({consent.Source}, {Format(consent.At)}).");
        }

        if (purpose == ContactPurpose.Marketing && consent is null)
        {
            return Deny(ContactReasons.NoConsent, $"No consent for {consentKey}: marketing needs the customer's explicit yes.");
        }

        if (profile.Engagement.Bounced.TryGetValue(channel, out var bouncedAt))
        {
            return Deny(ContactReasons.ChannelBounced, $"The customer's {ContactNames.Of(channel)} address bounced ({Format(bouncedAt)}).");
        }

        if (purpose == ContactPurpose.Transactional)
        {
            return Allow(request, now);
        }

        if (purpose == ContactPurpose.Marketing && MarketingContext(profile, policy, now, Deny, Defer) is { } suppressed)
        {
            return suppressed;
        }

        if (profile.Preferences.PausedUntil is { } paused && paused > now)
        {
            return Defer(ContactReasons.Paused, $"The customer paused messages until {Format(paused)}.", paused);
        }

        if (QuietHoursEnd(profile, policy, now) is { } quietEnd)
        {
            return Defer(ContactReasons.QuietHours, $"Quiet hours in {ZoneOf(profile, policy).Id} until {Format(quietEnd)}.", quietEnd);
        }

        var windowStart = now - policy.BudgetWindow;
        // A message asked about again does not count against itself.
        var counted = profile.ContactHistory
            .Where(t => t.Purpose != ContactPurpose.Transactional && t.At > windowStart && (request.MessageId is null || t.MessageId != request.MessageId))
            .ToList();
        if (counted.Count >= policy.BudgetMaxTouches)
        {
            // The budget frees up when the oldest counted touch leaves the window.
            var until = counted.Min(t => t.At) + policy.BudgetWindow;
            return Defer(ContactReasons.BudgetExhausted, $"{counted.Count} messages in the last {policy.BudgetWindow.TotalDays:0.#} days across all channels (budget {policy.BudgetMaxTouches}).", until);
        }

        return Allow(request, now);
    }

    private static ContactDecision Allow(ContactRequest request, DateTimeOffset now) =>
        new(ContactOutcome.Allow, ContactReasons.Allowed, "Consent, context, quiet hours and budget allow it.", null, now, request.Channel, request.Purpose, request.Kind);

    private static ContactDecision? MarketingContext(
        CustomerProfile profile,
        ContactPolicy policy,
        DateTimeOffset now,
        Func<string, string, ContactDecision> deny,
        Func<string, string, DateTimeOffset, ContactDecision> defer)
    {
        var support = profile.Support;
        if (support.HumanOwner is { } owner)
        {
            return deny(ContactReasons.HumanOwner, $"A person owns this customer (case {owner.CaseId}, since {Format(owner.OpenedAt)}): automation waits until it is resolved.");
        }

        if (support.OpenCases.Count > 0)
        {
            var open = support.OpenCases.Values.MinBy(c => c.OpenedAt)!;
            return deny(ContactReasons.OpenSupportCase, $"Support case {open.CaseId} is open{(open.Complaint ? " (a complaint)" : "")}.");
        }

        var negative = support.Feedback.LastOrDefault(f => f.Score <= policy.NegativeFeedbackThreshold && now - f.At < policy.NegativeFeedbackWindow);
        if (negative is not null)
        {
            return deny(ContactReasons.NegativeFeedback, $"Negative feedback on {Format(negative.At)} (within {policy.NegativeFeedbackWindow.TotalDays:0.#} days).");
        }

        if (profile.Commerce.LastRefundAt is { } refund && now - refund < policy.RefundWindow)
        {
            return deny(ContactReasons.RefundInProgress, $"A refund on {Format(refund)} (within {policy.RefundWindow.TotalDays:0.#} days).");
        }

        if (profile.Subscription is { Status: "cancelled", CancelledAt: { } cancelled } && now - cancelled < policy.CancellationWindow)
        {
            return deny(ContactReasons.Cancellation, $"The plan was cancelled on {Format(cancelled)} (within {policy.CancellationWindow.TotalDays:0.#} days).");
        }

        var soon = profile.Appointments.Upcoming.Values.Where(start => start > now - AfterAppointment && start - now < policy.AppointmentQuietPeriod).ToList();
        if (soon.Count > 0)
        {
            var start = soon.Min();
            return defer(ContactReasons.AppointmentSoon, $"An appointment at {Format(start)}: no promotion until after it.", start + AfterAppointment);
        }

        return null;
    }

    /// <summary>The end of the quiet hours the customer is in now (local wall-clock time, DST-correct), or null.</summary>
    public static DateTimeOffset? QuietHoursEnd(CustomerProfile profile, ContactPolicy policy, DateTimeOffset now)
    {
        var start = profile.Preferences.QuietHoursStartMinute ?? policy.QuietHoursStartMinute;
        var end = profile.Preferences.QuietHoursEndMinute ?? policy.QuietHoursEndMinute;
        if (start == end)
        {
            return null;
        }

        var zone = ZoneOf(profile, policy);
        var local = Instant.FromDateTimeOffset(now).InZone(zone).LocalDateTime;
        var minute = (local.Hour * 60) + local.Minute;
        var quiet = start < end ? minute >= start && minute < end : minute >= start || minute < end;
        if (!quiet)
        {
            return null;
        }

        // The end is today's end time if we are before it, else tomorrow's. A wall time that does not exist
        // (the spring-forward gap) is taken as the first instant after the gap.
        var endDate = minute < end ? local.Date : local.Date.PlusDays(1);
        var endLocal = endDate + new LocalTime(end / 60, end % 60);
        return zone.AtLeniently(endLocal).ToDateTimeOffset().ToUniversalTime();
    }

    public static DateTimeZone ZoneOf(CustomerProfile profile, ContactPolicy policy) =>
        (profile.TimeZone is { } own ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(own) : null)
        ?? DateTimeZoneProviders.Tzdb.GetZoneOrNull(policy.DefaultTimeZone)
        ?? DateTimeZone.Utc;

    private static string Format(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);
}
