using RetentionPlatform.Profiles.Contact;

namespace RetentionPlatform.Profiles.Tests;

/// <summary>Each rule of the contact decision on its own, on a profile built for it.</summary>
public sealed class ContactDeciderTests
{
    // A Monday, 14:00 UTC: daytime in UTC, Berlin and New York.
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);
    private static readonly ContactPolicy Policy = new();

    private static ContactRequest Marketing(ContactChannel channel = ContactChannel.Email) => new(channel, ContactPurpose.Marketing, "campaign:test");

    private static CustomerProfile Consenting()
    {
        var profile = new CustomerProfile { CustomerId = "c1" };
        foreach (var channel in Enum.GetValues<ContactChannel>())
        {
            foreach (var purpose in Enum.GetValues<ContactPurpose>())
            {
                profile.Consent[ContactNames.ConsentKey(channel, purpose)] = new ConsentEntry(true, "checkout", Now.AddDays(-30));
            }
        }

        return profile;
    }

    private static ContactDecision Decide(CustomerProfile profile, ContactRequest request, DateTimeOffset? at = null, ContactPolicy? policy = null) =>
        ContactDecider.Decide(profile, request, policy ?? Policy, at ?? Now);

    [Fact]
    public void AConsentingCustomerInAQuietContextIsAllowed()
    {
        var decision = Decide(Consenting(), Marketing());
        Assert.Equal((ContactOutcome.Allow, ContactReasons.Allowed), (decision.Outcome, decision.Reason));
    }

    [Fact]
    public void MarketingWithoutExplicitConsentIsDeniedButServiceIsAllowed()
    {
        var profile = new CustomerProfile { CustomerId = "c1" };
        Assert.Equal(ContactReasons.NoConsent, Decide(profile, Marketing()).Reason);
        Assert.Equal(ContactOutcome.Allow, Decide(profile, new ContactRequest(ContactChannel.Email, ContactPurpose.Service, "reminder")).Outcome);
    }

    [Fact]
    public void WithdrawnConsentIsDeniedForThatChannelOnly()
    {
        var profile = Consenting();
        profile.Consent["sms:marketing"] = new ConsentEntry(false, "unsubscribe", Now.AddDays(-1));

        Assert.Equal((ContactOutcome.Deny, ContactReasons.ConsentWithdrawn), (Decide(profile, Marketing(ContactChannel.Sms)).Outcome, Decide(profile, Marketing(ContactChannel.Sms)).Reason));
        Assert.Equal(ContactOutcome.Allow, Decide(profile, Marketing(ContactChannel.Email)).Outcome);
    }

    [Fact]
    public void ABouncedAddressIsDeniedForEveryPurpose()
    {
        var profile = Consenting();
        profile.Engagement.Bounced[ContactChannel.Email] = Now.AddDays(-2);

        Assert.Equal(ContactReasons.ChannelBounced, Decide(profile, new ContactRequest(ContactChannel.Email, ContactPurpose.Transactional, "receipt")).Reason);
        Assert.Equal(ContactOutcome.Allow, Decide(profile, Marketing(ContactChannel.Sms)).Outcome);
    }

    [Fact]
    public void AnOpenSupportCaseDeniesMarketingButNotAnAppointmentReminder()
    {
        var profile = Consenting();
        profile.Support.OpenCases["case-9"] = new SupportCase("case-9", Now.AddHours(-3), Complaint: true, HumanRequested: false, "Late delivery");

        Assert.Equal(ContactReasons.OpenSupportCase, Decide(profile, Marketing()).Reason);
        Assert.Equal(ContactOutcome.Allow, Decide(profile, new ContactRequest(ContactChannel.Sms, ContactPurpose.Service, "appointment-reminder")).Outcome);
    }

    [Fact]
    public void AHumanOwnerDeniesMarketingAutomation()
    {
        var profile = Consenting();
        profile.Support.OpenCases["human-1"] = new SupportCase("human-1", Now.AddHours(-1), Complaint: false, HumanRequested: true, "Wants to talk");
        Assert.Equal(ContactReasons.HumanOwner, Decide(profile, Marketing()).Reason);
    }

    [Fact]
    public void NegativeFeedbackDeniesMarketingOnlyWithinTheTenantsWindow()
    {
        var profile = Consenting();
        profile.Support.Feedback.Add(new FeedbackEntry(Now.AddDays(-10), 0.25, "Rude staff"));

        Assert.Equal(ContactReasons.NegativeFeedback, Decide(profile, Marketing()).Reason);
        Assert.Equal(ContactOutcome.Allow, Decide(profile, Marketing(), policy: Policy with { NegativeFeedbackWindow = TimeSpan.FromDays(7) }).Outcome);
        Assert.Equal(ContactOutcome.Allow, Decide(profile, Marketing(), at: Now.AddDays(5)).Outcome);
    }

    [Fact]
    public void ARecentRefundOrCancellationDeniesMarketing()
    {
        var refunded = Consenting();
        refunded.Commerce.LastRefundAt = Now.AddDays(-3);
        Assert.Equal(ContactReasons.RefundInProgress, Decide(refunded, Marketing()).Reason);

        var cancelled = Consenting();
        cancelled.Subscription.Status = "cancelled";
        cancelled.Subscription.CancelledAt = Now.AddDays(-20);
        Assert.Equal(ContactReasons.Cancellation, Decide(cancelled, Marketing()).Reason);
        Assert.Equal(ContactOutcome.Allow, Decide(cancelled, Marketing(), at: Now.AddDays(11)).Outcome);
    }

    [Fact]
    public void APromotionRightBeforeAnAppointmentIsDeferredUntilAfterIt()
    {
        var profile = Consenting();
        var start = Now.AddHours(5);
        profile.Appointments.Upcoming["apt-1"] = start;

        var decision = Decide(profile, Marketing());
        Assert.Equal((ContactOutcome.Defer, ContactReasons.AppointmentSoon, start + ContactDecider.AfterAppointment), (decision.Outcome, decision.Reason, decision.DeferUntil));
    }

    [Fact]
    public void APausedCustomerIsDeferredUntilThePauseEnds()
    {
        var profile = Consenting();
        profile.Preferences.PausedUntil = Now.AddDays(3);

        var decision = Decide(profile, new ContactRequest(ContactChannel.Email, ContactPurpose.Service, "newsletter"));
        Assert.Equal((ContactOutcome.Defer, ContactReasons.Paused, Now.AddDays(3)), (decision.Outcome, decision.Reason, decision.DeferUntil));
    }

    [Fact]
    public void QuietHoursInTheCustomersZoneDeferUntilTheyEndLocally()
    {
        var profile = Consenting();
        profile.TimeZone = "Asia/Tokyo";

        // 14:00 UTC is 23:00 in Tokyo: quiet until 08:00 Tokyo time, which is 23:00 UTC.
        var decision = Decide(profile, Marketing());
        Assert.Equal((ContactOutcome.Defer, ContactReasons.QuietHours), (decision.Outcome, decision.Reason));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 23, 0, 0, TimeSpan.Zero), decision.DeferUntil);
    }

    [Fact]
    public void QuietHoursEndAtLocalEightOnTheMorningClocksSpringForwardInBerlin()
    {
        var profile = Consenting();
        profile.TimeZone = "Europe/Berlin";

        // Saturday 28 March 2026, 22:30 in Berlin (CET, UTC+1). Clocks jump to summer time that night, so
        // 08:00 on Sunday is 06:00 UTC, not 07:00.
        var decision = Decide(profile, Marketing(), at: new DateTimeOffset(2026, 3, 28, 21, 30, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 6, 0, 0, TimeSpan.Zero), decision.DeferUntil);
    }

    [Fact]
    public void QuietHoursEndAtLocalEightOnTheMorningClocksFallBackInNewYork()
    {
        var profile = Consenting();
        profile.TimeZone = "America/New_York";

        // Saturday 31 October 2026, 23:00 in New York (EDT, UTC-4). Clocks fall back that night, so 08:00 on
        // Sunday is 13:00 UTC, not 12:00. And 01:30 local happens twice; both are quiet.
        var decision = Decide(profile, Marketing(), at: new DateTimeOffset(2026, 11, 1, 3, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 13, 0, 0, TimeSpan.Zero), decision.DeferUntil);
        Assert.Equal(ContactReasons.QuietHours, Decide(profile, Marketing(), at: new DateTimeOffset(2026, 11, 1, 6, 30, 0, TimeSpan.Zero)).Reason);
    }

    [Fact]
    public void TheCustomersOwnQuietHoursReplaceTheTenants()
    {
        var profile = Consenting();
        profile.Preferences.QuietHoursStartMinute = 13 * 60;
        profile.Preferences.QuietHoursEndMinute = 15 * 60;

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 15, 0, 0, TimeSpan.Zero), Decide(profile, Marketing()).DeferUntil);
    }

    [Fact]
    public void TheBudgetCountsTouchesAcrossAllChannelsAndJourneysAndDefersUntilTheOldestLeavesTheWindow()
    {
        var profile = Consenting();
        profile.ContactHistory.Add(new ContactTouch(Now.AddDays(-6), ContactChannel.Email, ContactPurpose.Marketing, "journey:welcome", "m1"));
        profile.ContactHistory.Add(new ContactTouch(Now.AddDays(-2), ContactChannel.Sms, ContactPurpose.Service, "journey:rebook", "m2"));
        profile.ContactHistory.Add(new ContactTouch(Now.AddDays(-1), ContactChannel.Push, ContactPurpose.Marketing, "campaign:sale", "m3"));

        var decision = Decide(profile, Marketing(ContactChannel.Webhook));
        Assert.Equal((ContactOutcome.Defer, ContactReasons.BudgetExhausted, Now.AddDays(1)), (decision.Outcome, decision.Reason, decision.DeferUntil));
        Assert.Equal(ContactOutcome.Allow, Decide(profile, Marketing(), policy: Policy with { BudgetMaxTouches = 4 }).Outcome);
    }

    [Fact]
    public void TransactionalMessagesAreExemptFromBudgetAndQuietHoursAndDoNotSpendTheBudget()
    {
        var profile = Consenting();
        profile.TimeZone = "Asia/Tokyo";
        for (var i = 0; i < 5; i++)
        {
            profile.ContactHistory.Add(new ContactTouch(Now.AddHours(-i - 1), ContactChannel.Email, ContactPurpose.Transactional, "receipt", $"r{i}"));
        }

        Assert.Equal(ContactOutcome.Allow, Decide(profile, new ContactRequest(ContactChannel.Email, ContactPurpose.Transactional, "receipt")).Outcome);
        profile.TimeZone = null;
        Assert.Equal(ContactOutcome.Allow, Decide(profile, Marketing()).Outcome);
    }

    [Fact]
    public void ADenialWinsOverADeferral()
    {
        var profile = Consenting();
        profile.TimeZone = "Asia/Tokyo";
        profile.Support.OpenCases["case-1"] = new SupportCase("case-1", Now.AddDays(-1), Complaint: false, HumanRequested: false, null);
        Assert.Equal(ContactOutcome.Deny, Decide(profile, Marketing()).Outcome);
    }
}
