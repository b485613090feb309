using System.Text.Json;

namespace RetentionPlatform.Profiles.Tests;

/// <summary>The customer grain end to end on an in-process cluster: events into state, decisions, segments, merge, erasure.</summary>
public sealed class CustomerProfileTests(ProfilesClusterFixture fixture) : IClassFixture<ProfilesClusterFixture>
{
    private readonly string _tenant = $"t-{Guid.NewGuid():N}";

    private static DateTimeOffset Now => ProfilesClusterFixture.Clock.GetUtcNow();

    private static RecordingChangeSink Changes => RecordingChangeSink.Instance;

    private ICustomerGrain Customer(string id) => fixture.Cluster.GrainFactory.GetGrain<ICustomerGrain>(CustomerGrainKey.For(_tenant, id));

    private ITenantGrain Tenant => fixture.Cluster.GrainFactory.GetGrain<ITenantGrain>(_tenant);

    private static CustomerEventData Event(string type, object? properties = null, DateTimeOffset? at = null) =>
        new($"e-{Guid.NewGuid():N}", type, at ?? Now, properties is null ? null : JsonSerializer.Serialize(properties));

    private async Task<ICustomerGrain> ConsentingCustomerAsync(string id)
    {
        var customer = Customer(id);
        await customer.ApplyAsync([Event("consent_given", new { channel = "email", purpose = "marketing", source = "checkout" }, Now.AddDays(-30))]);
        return customer;
    }

    [Fact]
    public async Task EveryKindOfEventLandsInItsPartOfTheProfile()
    {
        var customer = Customer("ann");
        await customer.ApplyAsync(
        [
            Event("identify", new { email = "Ann@Example.com", phone = "+49 30 1234", firstName = "Ann", timeZone = "Europe/Berlin", locale = "de-DE", externalIds = new { pos = "C-1" } }),
            Event("traits_set", new { tier = "gold", pets = 2, vip = true }),
            Event("product_viewed", new { productId = "p1" }),
            Event("cart_updated", new { items = 2, value = 40.5 }),
            Event("order_placed", new { orderId = "o1", total = 40.5, currency = "EUR" }, Now.AddDays(-40)),
            Event("order_placed", new { orderId = "o2", total = 59.5 }, Now.AddDays(-10)),
            Event("subscription_started", new { plan = "monthly" }),
            Event("support_case_opened", new { caseId = "s1", complaint = true }),
            Event("feedback_submitted", new { score = 2, maxScore = 5, text = "meh" }),
            Event("appointment_booked", new { appointmentId = "a1", startsAt = Now.AddDays(3) }),
            Event("appointment_no_show", new { appointmentId = "a0" }),
            Event("message_sent", new { messageId = "m1", channel = "sms", purpose = "service", kind = "reminder" }),
            Event("message_clicked", new { messageId = "m1" }),
        ]);

        var p = (await customer.GetProfileAsync())!;
        Assert.Equal(("Ann@Example.com", "Ann", "Europe/Berlin", "de-DE", "C-1"), (p.Identity.Email, p.Identity.FirstName, p.TimeZone, p.Locale, p.Identity.ExternalIds["pos"]));
        Assert.Contains("email:ann@example.com", p.Identity.Aliases);
        Assert.Contains("phone:+49301234", p.Identity.Aliases);
        Assert.Equal(("gold", 2.0, true), (p.Traits["tier"].Text, p.Traits["pets"].Number, p.Traits["vip"].Flag));
        Assert.Equal((2, 100m, 50m, 30.0), (p.Commerce.Orders, p.Commerce.Revenue, p.Commerce.AverageOrderValue, p.Commerce.CadenceDays));
        // The cart was filled after the last order, so the orders did not empty it.
        Assert.Equal((2, 40.5m), (p.Engagement.CartItems, p.Engagement.CartValue));
        Assert.Equal(("active", "monthly"), (p.Subscription.Status, p.Subscription.Plan));
        Assert.True(p.Support.OpenCases["s1"].Complaint);
        Assert.Equal(0.25, p.Support.Feedback.Single().Score);
        Assert.Equal(Now.AddDays(3), p.Appointments.Next);
        Assert.Equal(1, p.Appointments.NoShows);
        Assert.Equal(ContactChannel.Sms, p.ContactHistory.Single().Channel);
        Assert.Equal(1, p.Engagement.MessagesClicked);
        Assert.True(p.Rfm.Recency == 5 && p.Rfm.Frequency == 2);
        Assert.Equal(100m, p.LifetimeValue.Historical);
        Assert.True(p.LifetimeValue.PredictedNext12Months > 0);
    }

    [Fact]
    public async Task AnOlderConsentStatementDoesNotOverrideANewerOne()
    {
        var customer = Customer("late");
        await customer.ApplyAsync([Event("consent_withdrawn", new { channel = "email", purpose = "marketing", source = "unsubscribe-link" }, Now.AddHours(-1))]);
        await customer.ApplyAsync([Event("consent_given", new { channel = "email", purpose = "marketing", source = "old-import" }, Now.AddDays(-5))]);

        var consent = (await customer.GetProfileAsync())!.Consent["email:marketing"];
        Assert.Equal((false, "unsubscribe-link"), (consent.Granted, consent.Source));
    }

    [Fact]
    public async Task AnAllowedContactSpendsTheBudgetAcrossChannelsAndARetryOfTheSameMessageDoesNot()
    {
        var customer = Customer("budget");
        await customer.ApplyAsync([Event("consent_given", new { source = "signup" }, Now.AddDays(-1))]);
        await Tenant.SetContactPolicyAsync(new ContactPolicy { BudgetMaxTouches = 2, QuietHoursStartMinute = 0, QuietHoursEndMinute = 0 });

        Assert.Equal(ContactOutcome.Allow, (await customer.DecideContactAsync(new(ContactChannel.Email, ContactPurpose.Marketing, "journey:a", "m1"))).Outcome);
        Assert.Equal(ContactOutcome.Allow, (await customer.DecideContactAsync(new(ContactChannel.Email, ContactPurpose.Marketing, "journey:a", "m1"))).Outcome);
        Assert.Equal(ContactOutcome.Allow, (await customer.DecideContactAsync(new(ContactChannel.Sms, ContactPurpose.Service, "journey:b", "m2"))).Outcome);
        Assert.Equal(ContactOutcome.Allow, (await customer.DecideContactAsync(new(ContactChannel.Email, ContactPurpose.Transactional, "receipt", "m3"))).Outcome);

        var third = await customer.DecideContactAsync(new(ContactChannel.Push, ContactPurpose.Marketing, "campaign:c", "m4"));
        Assert.Equal((ContactOutcome.Defer, ContactReasons.BudgetExhausted), (third.Outcome, third.Reason));

        var profile = (await customer.GetProfileAsync())!;
        Assert.Equal(["m1", "m2", "m3"], profile.ContactHistory.Select(t => t.MessageId));
        Assert.Equal(ContactReasons.BudgetExhausted, profile.RecentDecisions[^1].Reason);

        // The sender's own message_sent event for m1 is not a second touch.
        await customer.ApplyAsync([Event("message_sent", new { messageId = "m1", channel = "email", purpose = "marketing" })]);
        Assert.Equal(3, (await customer.GetProfileAsync())!.ContactHistory.Count);
    }

    [Fact]
    public async Task AskingAgainForAnAllowedMessageDecidesOnTheLiveContextWithoutCountingItsOwnTouch()
    {
        var customer = Customer("retry");
        await customer.ApplyAsync([Event("consent_given", new { source = "signup" }, Now.AddDays(-1))]);
        await Tenant.SetContactPolicyAsync(new ContactPolicy { BudgetMaxTouches = 2, QuietHoursStartMinute = 0, QuietHoursEndMinute = 0 });
        Assert.Equal(ContactOutcome.Allow, (await customer.DecideContactAsync(new(ContactChannel.Email, ContactPurpose.Marketing, "journey:a", "r1"))).Outcome);
        Assert.Equal(ContactOutcome.Allow, (await customer.DecideContactAsync(new(ContactChannel.Email, ContactPurpose.Marketing, "journey:a", "r2"))).Outcome);

        // The budget is spent, but by r1 itself among others: a sender retrying r1 after an outage may still send it.
        Assert.Equal(ContactOutcome.Defer, (await customer.DecideContactAsync(new(ContactChannel.Email, ContactPurpose.Marketing, "journey:a", "r3"))).Outcome);
        Assert.Equal(ContactOutcome.Allow, (await customer.DecideContactAsync(new(ContactChannel.Email, ContactPurpose.Marketing, "journey:a", "r1"))).Outcome);
        Assert.Equal(2, (await customer.GetProfileAsync())!.ContactHistory.Count);

        // The customer unsubscribed before the retry: it is not sent.
        await customer.ApplyAsync([Event("consent_withdrawn", new { channel = "email", purpose = "marketing", source = "unsubscribe" }, Now)]);
        var retry = await customer.DecideContactAsync(new(ContactChannel.Email, ContactPurpose.Marketing, "journey:a", "r1"));
        Assert.Equal((ContactOutcome.Deny, ContactReasons.ConsentWithdrawn), (retry.Outcome, retry.Reason));
    }

    [Fact]
    public async Task AskingForAPersonPausesMarketingUntilTheCaseIsClosedAndTellsOtherServices()
    {
        var customer = await ConsentingCustomerAsync("needs-help");
        await Tenant.SetContactPolicyAsync(new ContactPolicy { QuietHoursStartMinute = 0, QuietHoursEndMinute = 0 });

        var caseId = await customer.RequestHumanAsync("Billing question");
        Assert.Equal(ContactReasons.HumanOwner, (await customer.DecideContactAsync(new(ContactChannel.Email, ContactPurpose.Marketing, "campaign"))).Reason);
        Assert.Equal(caseId, await customer.RequestHumanAsync("Asked again"));
        await Changes.WaitForAsync(_tenant, c => c.Type == ProfileChangeTypes.HumanRequested && c.Payload.Contains(caseId, StringComparison.Ordinal));

        await customer.ApplyAsync([Event("support_case_closed", new { caseId })]);
        Assert.Equal(ContactOutcome.Allow, (await customer.DecideContactAsync(new(ContactChannel.Email, ContactPurpose.Marketing, "campaign"))).Outcome);
        await Changes.WaitForAsync(_tenant, c => c.Type == ProfileChangeTypes.HumanResolved);
    }

    [Fact]
    public async Task ASegmentWithATimeConditionIsEnteredAtTheMomentTheConditionBecomesTrue()
    {
        await Tenant.DefineSegmentAsync(new SegmentDefinition("lapsed", "No order for 60 days", [new("lastOrderAt", "olderThan", "P60D"), new("orders", "gte", "1")]));
        var customer = Customer("lapsing");
        var ordered = Now.AddDays(-59).AddHours(-23);
        await customer.ApplyAsync([Event("order_placed", new { orderId = "o1", total = 20 }, ordered)]);
        Assert.DoesNotContain("lapsed", (await customer.GetProfileAsync())!.Segments.Keys);

        // One hour later the sixty days are up: the grain's timer fires on the (fake) clock, with no event.
        ProfilesClusterFixture.Clock.Advance(TimeSpan.FromHours(1));
        var entered = await Changes.WaitForAsync(_tenant, c => c.Type == ProfileChangeTypes.SegmentEntered && c.SegmentId == "lapsed");
        Assert.Equal(ordered.AddDays(60), entered.At);
        Assert.Equal(ordered.AddDays(60), (await customer.GetProfileAsync())!.Segments["lapsed"]);

        // A new order takes the customer out again at once.
        await customer.ApplyAsync([Event("order_placed", new { orderId = "o2", total = 20 })]);
        await Changes.WaitForAsync(_tenant, c => c.Type == ProfileChangeTypes.SegmentExited && c.SegmentId == "lapsed");
        Assert.Empty((await customer.GetProfileAsync())!.Segments);
    }

    [Fact]
    public async Task ChurnRiskRisesWhenTheCustomersOwnRhythmIsBrokenAndSaysWhy()
    {
        var customer = Customer("weekly");
        var start = Now.AddDays(-30);
        await customer.ApplyAsync([.. Enumerable.Range(0, 4).Select(i => Event("order_placed", new { orderId = $"w{i}", total = 10 }, start.AddDays(7 * i)))]);
        var before = (await customer.GetProfileAsync())!.Churn;
        Assert.Equal("low", before.Level);

        await customer.ApplyAsync([Event("subscription_cancelled", new { plan = "weekly-box" }), Event("feedback_submitted", new { score = 1 })]);
        var after = (await customer.GetProfileAsync())!.Churn;
        Assert.Equal("high", after.Level);
        Assert.Contains(after.Reasons, r => r.Contains("Cancelled", StringComparison.Ordinal));
        Assert.Contains(after.Reasons, r => r.Contains("negative feedback", StringComparison.Ordinal));
        await Changes.WaitForAsync(_tenant, c => c.Type == ProfileChangeTypes.ChurnRiskChanged && c.Payload.Contains("\"high\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MergingCombinesTwoProfilesWithoutCountingTheSameOrderTwiceAndLaterEventsLandOnTheCanonicalCustomer()
    {
        var web = Customer("web-77");
        var pos = Customer("pos-77");
        await web.ApplyAsync([Event("order_placed", new { orderId = "shared", total = 30 }, Now.AddDays(-3)), Event("page_viewed")]);
        await pos.ApplyAsync(
        [
            Event("order_placed", new { orderId = "shared", total = 30 }, Now.AddDays(-3)),
            Event("order_placed", new { orderId = "in-store", total = 70 }, Now.AddDays(-1)),
            Event("identify", new { email = "sam@example.com" }),
        ]);

        var merged = await web.MergeAsync("pos-77");
        Assert.Equal((2, 100m), (merged.Commerce.Orders, merged.Commerce.Revenue));
        Assert.Contains("pos-77", merged.MergedFrom);
        Assert.Equal("sam@example.com", merged.Identity.Email);

        await pos.ApplyAsync([Event("order_placed", new { orderId = "later", total = 5 })]);
        Assert.Equal(3, (await web.GetProfileAsync())!.Commerce.Orders);
        Assert.Equal(3, (await pos.GetProfileAsync())!.Commerce.Orders);
        Assert.Equal("web-77", await pos.GetCanonicalIdAsync());
        Assert.Equal("web-77", await ProfilesClusterFixture.Aliases.ResolveAsync(_tenant, CustomerAliases.Email("sam@example.com")));
    }

    [Fact]
    public async Task EventsForTheSourceArrivingDuringAMergeNeitherHangNorGetLost()
    {
        var target = Customer("c-4");
        var source = Customer("c-0");
        await target.ApplyAsync([Event("page_viewed")]);
        await source.ApplyAsync([Event("page_viewed")]);

        // While the target merges, the source keeps receiving events; once it has handed over it forwards them to the
        // target, which at the end of the merge calls the source back (CompleteMerge). Neither may wait on the other.
        var merge = target.MergeAsync("c-0");
        var applies = Enumerable.Range(0, 40).Select(_ => source.ApplyAsync([Event("order_placed", new { total = 1 })])).ToArray();
        await Task.WhenAll([merge, .. applies]).WaitAsync(TimeSpan.FromSeconds(20));

        var profile = (await target.GetProfileAsync())!;
        Assert.Equal(40, profile.Commerce.Orders);
        Assert.Equal("c-4", await source.GetCanonicalIdAsync());
    }

    [Fact]
    public async Task AnErasedCustomerIsGoneAndLateEventsDoNotBringItBack()
    {
        var customer = Customer("forget-me");
        await customer.ApplyAsync([Event("identify", new { email = "f@example.com" }), Event("order_placed", new { orderId = "o1", total = 9 })]);
        Assert.Contains("f@example.com", await customer.ExportAsync(), StringComparison.Ordinal);

        await customer.EraseAsync();
        await Changes.WaitForAsync(_tenant, c => c.Type == ProfileChangeTypes.CustomerErased);
        Assert.Null(await customer.GetProfileAsync());
        Assert.Null(await customer.ExportAsync());

        var late = await customer.ApplyAsync([Event("page_viewed", at: Now.AddDays(-1))]);
        Assert.Equal(new ApplyEventsResult(0, 0, 1), late);
        Assert.Null(await customer.GetProfileAsync());
        Assert.Equal(ContactReasons.Erased, (await customer.DecideContactAsync(new(ContactChannel.Email, ContactPurpose.Transactional, "receipt"))).Reason);
        Assert.Null(await ProfilesClusterFixture.Aliases.ResolveAsync(_tenant, CustomerAliases.Email("f@example.com")));
    }

    [Fact]
    public async Task ACustomerErasedEventErasesLikeTheApiDoes()
    {
        var customer = Customer("erase-by-event");
        await customer.ApplyAsync([Event("page_viewed"), Event("customer_erased")]);
        Assert.Null(await customer.GetProfileAsync());
    }

    [Fact]
    public async Task ProfileChangesThatCouldNotBeDeliveredAreKeptAndDeliveredLater()
    {
        await Tenant.DefineSegmentAsync(new SegmentDefinition("buyers", "Buyers", [new("orders", "gte", "1")]));
        Changes.FailFor(_tenant, true);
        var customer = Customer("outbox");
        await customer.ApplyAsync([Event("order_placed", new { orderId = "o1", total = 5 })]);
        Assert.Empty(Changes.Of(_tenant));

        Changes.FailFor(_tenant, false);
        await customer.ApplyAsync([Event("page_viewed")]);
        var entered = await Changes.WaitForAsync(_tenant, c => c.Type == ProfileChangeTypes.SegmentEntered);
        Assert.Equal("buyers", entered.SegmentId);
        Assert.Single(Changes.Of(_tenant), c => c.Change.Type == ProfileChangeTypes.SegmentEntered);
    }

    [Fact]
    public async Task TenantsDoNotShareSegmentsOrPolicies()
    {
        await Tenant.DefineSegmentAsync(new SegmentDefinition("everyone", "Everyone", [new("eventCount", "gte", "1")]));
        var other = $"{_tenant}-other";
        var elsewhere = fixture.Cluster.GrainFactory.GetGrain<ICustomerGrain>(CustomerGrainKey.For(other, "x"));
        await elsewhere.ApplyAsync([Event("page_viewed")]);

        Assert.Empty((await elsewhere.GetProfileAsync())!.Segments);
        Assert.Empty((await fixture.Cluster.GrainFactory.GetGrain<ITenantGrain>(other).GetConfigurationAsync()).Segments);
    }
}
