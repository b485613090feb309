using System.Globalization;
using System.Text.Json;

namespace RetentionPlatform.Profiles.Model;

/// <summary>
/// Applies one v1 catalog event to a profile. Counters are commutative, so a late event (older than what the
/// profile has seen) still counts; "latest" facts (consent, plan, cases, appointments) are only replaced by
/// a statement at least as new as the one they hold.
/// </summary>
internal static class ProfileEventApplier
{
    /// <summary>Applies <paramref name="e"/>; returns what the grain must do beyond the profile itself.</summary>
    public static EventEffect Apply(CustomerProfile profile, CustomerEventData e)
    {
        var p = EventProperties.Parse(e.Properties);
        var at = e.OccurredAt;
        profile.EventCount++;
        if (profile.FirstSeen is null || at < profile.FirstSeen)
        {
            profile.FirstSeen = at;
        }

        if (profile.LastSeen is null || at >= profile.LastSeen)
        {
            profile.LastSeen = at;
            profile.LastEventType = e.EventType;
        }

        switch (e.EventType)
        {
            case "identify":
                return Identify(profile, p);
            case "traits_set":
                SetTraits(profile, p.IsObject && p.Get("traits") is { ValueKind: JsonValueKind.Object } traits ? traits : p.Root);
                break;
            case "preferences_set":
                SetPreferences(profile, p);
                break;
            case "page_viewed":
                profile.Engagement.PageViews++;
                Active(profile, at);
                break;
            case "product_viewed":
                profile.Engagement.ProductViews++;
                Active(profile, at);
                break;
            case "cart_updated":
                if (profile.Engagement.CartUpdatedAt is null || at >= profile.Engagement.CartUpdatedAt)
                {
                    profile.Engagement.CartItems = (int)Math.Clamp(p.Decimal("items") ?? 0, 0, 100_000);
                    profile.Engagement.CartValue = Math.Max(0, p.Decimal("value") ?? 0);
                    profile.Engagement.CartUpdatedAt = at;
                }

                Active(profile, at);
                break;
            case "checkout_started":
                profile.Engagement.CheckoutStartedAt = Moments.Latest(profile.Engagement.CheckoutStartedAt, at);
                Active(profile, at);
                break;
            case "order_placed":
                OrderPlaced(profile, p, e.EventId, at);
                break;
            case "order_refunded":
                var refund = Math.Max(0, p.Decimal("amount") ?? p.Decimal("total") ?? 0);
                profile.Commerce.Refunds++;
                profile.Commerce.Revenue -= refund;
                profile.Commerce.LastRefundAt = Moments.Latest(profile.Commerce.LastRefundAt, at);
                break;
            case "subscription_started":
            case "subscription_plan_changed":
            case "subscription_cancelled":
                Subscription(profile, e.EventType, p, at);
                break;
            case "support_case_opened":
                return CaseOpened(profile, p.Text("caseId") ?? e.EventId, p.Flag("complaint") ?? false, humanRequested: false, p.Text("reason") ?? p.Text("subject"), at);
            case "support_case_closed":
                return CaseClosed(profile, p.Text("caseId"));
            case "human_requested":
                return CaseOpened(profile, p.Text("caseId") ?? $"human-{e.EventId}", complaint: false, humanRequested: true, p.Text("reason"), at);
            case "feedback_submitted":
                Feedback(profile, p, at);
                break;
            case "appointment_booked":
            case "appointment_rescheduled":
            case "appointment_cancelled":
            case "appointment_completed":
            case "appointment_no_show":
                Appointment(profile, e.EventType, p, at);
                break;
            case "message_sent":
            case "message_delivered":
            case "message_opened":
            case "message_clicked":
            case "message_bounced":
            case "message_unsubscribed":
                Message(profile, e.EventType, p, at);
                break;
            case "consent_given":
            case "consent_withdrawn":
                Consent(profile, p, e.EventType == "consent_given", p.Text("source") ?? "event", at);
                break;
            case "customer_erased":
                return EventEffect.Erase;
        }

        return EventEffect.None;
    }

    private static EventEffect Identify(CustomerProfile profile, EventProperties p)
    {
        var identity = profile.Identity;
        var aliasesBefore = identity.Aliases.Count;
        if (p.Text("email") is { } email)
        {
            identity.Email = email;
            AddAlias(identity, CustomerAliases.Email(email));
        }

        if (p.Text("phone") is { } phone)
        {
            identity.Phone = phone;
            AddAlias(identity, CustomerAliases.Phone(phone));
        }

        identity.FirstName = p.Text("firstName") ?? identity.FirstName;
        identity.LastName = p.Text("lastName") ?? identity.LastName;
        if (p.Get("externalIds") is { ValueKind: JsonValueKind.Object } externalIds)
        {
            foreach (var entry in externalIds.EnumerateObject())
            {
                if (entry.Value.ValueKind == JsonValueKind.String && entry.Value.GetString() is { Length: > 0 and <= 128 } id
                    && (identity.ExternalIds.ContainsKey(entry.Name) || identity.ExternalIds.Count < ProfileLimits.ExternalIds))
                {
                    identity.ExternalIds[entry.Name] = id;
                }
            }
        }

        SetPreferences(profile, p);
        if (p.Get("traits") is { ValueKind: JsonValueKind.Object } traits)
        {
            SetTraits(profile, traits);
        }

        return identity.Aliases.Count != aliasesBefore ? EventEffect.AliasesChanged : EventEffect.None;
    }

    private static void AddAlias(CustomerIdentity identity, string alias)
    {
        if (!identity.Aliases.Contains(alias) && identity.Aliases.Count < ProfileLimits.Aliases)
        {
            identity.Aliases.Add(alias);
        }
    }

    private static void SetTraits(CustomerProfile profile, JsonElement traits)
    {
        if (traits.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var trait in traits.EnumerateObject())
        {
            if (trait.Name.Length is 0 or > 64)
            {
                continue;
            }

            if (trait.Value.ValueKind == JsonValueKind.Null)
            {
                profile.Traits.Remove(trait.Name);
            }
            else if (TraitValueJsonConverter.FromJson(trait.Value) is { } value
                && (value.Text is null || value.Text.Length <= 256)
                && (profile.Traits.ContainsKey(trait.Name) || profile.Traits.Count < ProfileLimits.Traits))
            {
                profile.Traits[trait.Name] = value;
            }
        }
    }

    private static void SetPreferences(CustomerProfile profile, EventProperties p)
    {
        if (p.Text("timeZone") is { } zone && NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is not null)
        {
            profile.TimeZone = zone;
        }

        if (p.Text("locale") is { Length: <= 35 } locale)
        {
            profile.Locale = locale;
        }

        var preferences = profile.Preferences;
        if (ParseMinuteOfDay(p.Text("quietHoursStart")) is { } start && ParseMinuteOfDay(p.Text("quietHoursEnd")) is { } end)
        {
            (preferences.QuietHoursStartMinute, preferences.QuietHoursEndMinute) = (start, end);
        }

        if (p.Channel("preferredChannel") is { } channel)
        {
            preferences.PreferredChannel = channel;
        }

        // Present with null (or an empty string) clears the pause; absent leaves it as it is.
        if (p.IsObject && p.Root.TryGetProperty("pausedUntil", out var paused))
        {
            preferences.PausedUntil = paused.ValueKind == JsonValueKind.String ? p.Time("pausedUntil") : null;
        }
    }

    /// <summary>Reads <c>HH:mm</c> as minutes after midnight.</summary>
    public static int? ParseMinuteOfDay(string? text) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? (time.Hour * 60) + time.Minute : null;

    private static void OrderPlaced(CustomerProfile profile, EventProperties p, string eventId, DateTimeOffset at)
    {
        var commerce = profile.Commerce;
        var total = Math.Max(0, p.Decimal("total") ?? p.Decimal("revenue") ?? 0);
        commerce.Orders++;
        commerce.Revenue += total;
        commerce.Currency ??= p.Text("currency", 3);
        commerce.FirstOrderAt = Moments.Earliest(commerce.FirstOrderAt, at);
        commerce.LastOrderAt = Moments.Latest(commerce.LastOrderAt, at);
        InsertOrder(commerce, new OrderRecord(p.Text("orderId", 128) ?? eventId, at, total));

        // The cart became an order (unless the cart changed after this order was placed).
        if (profile.Engagement.CartUpdatedAt is null || profile.Engagement.CartUpdatedAt <= at)
        {
            profile.Engagement.CartItems = 0;
            profile.Engagement.CartValue = 0;
        }

        Active(profile, at);
    }

    /// <summary>Keeps the recent-order list sorted by time and bounded (the oldest leave first).</summary>
    public static void InsertOrder(CommerceStats commerce, OrderRecord order)
    {
        var index = commerce.RecentOrders.FindLastIndex(o => o.At <= order.At) + 1;
        commerce.RecentOrders.Insert(index, order);
        if (commerce.RecentOrders.Count > ProfileLimits.RecentOrders)
        {
            commerce.RecentOrders.RemoveAt(0);
        }
    }

    private static void Subscription(CustomerProfile profile, string type, EventProperties p, DateTimeOffset at)
    {
        var subscription = profile.Subscription;
        if (subscription.ChangedAt is { } changed && at < changed)
        {
            return;
        }

        subscription.ChangedAt = at;
        subscription.Plan = p.Text("plan", 128) ?? subscription.Plan;
        switch (type)
        {
            case "subscription_started":
                subscription.Status = "active";
                subscription.StartedAt = at;
                subscription.CancelledAt = null;
                break;
            case "subscription_plan_changed":
                subscription.Status = "active";
                subscription.StartedAt ??= at;
                break;
            default:
                subscription.Status = "cancelled";
                subscription.CancelledAt = at;
                break;
        }
    }

    private static EventEffect CaseOpened(CustomerProfile profile, string caseId, bool complaint, bool humanRequested, string? reason, DateTimeOffset at)
    {
        var support = profile.Support;
        if (complaint)
        {
            support.LastComplaintAt = Moments.Latest(support.LastComplaintAt, at);
        }

        if (support.RecentlyClosed.Contains(caseId) || support.OpenCases.ContainsKey(caseId))
        {
            return EventEffect.None;
        }

        support.OpenCases[caseId] = new SupportCase(caseId, at, complaint, humanRequested, reason);
        return humanRequested ? EventEffect.HumanRequested : EventEffect.None;
    }

    private static EventEffect CaseClosed(CustomerProfile profile, string? caseId)
    {
        var support = profile.Support;
        if (caseId is null)
        {
            return EventEffect.None;
        }

        var wasHuman = support.OpenCases.Remove(caseId, out var closed) && closed.HumanRequested;
        if (!support.RecentlyClosed.Contains(caseId))
        {
            support.RecentlyClosed.Add(caseId);
            if (support.RecentlyClosed.Count > ProfileLimits.RecentlyClosedCases)
            {
                support.RecentlyClosed.RemoveAt(0);
            }
        }

        return wasHuman ? EventEffect.HumanResolved : EventEffect.None;
    }

    private static void Feedback(CustomerProfile profile, EventProperties p, DateTimeOffset at)
    {
        if (p.Decimal("score") is not { } score)
        {
            return;
        }

        var scale = p.Decimal("maxScore") ?? 5;
        var minimum = p.Decimal("minScore") ?? (scale == 10 ? 0 : 1);
        var normalised = scale <= minimum ? 0 : (double)Math.Clamp((score - minimum) / (scale - minimum), 0, 1);
        var support = profile.Support;
        var index = support.Feedback.FindLastIndex(f => f.At <= at) + 1;
        support.Feedback.Insert(index, new FeedbackEntry(at, Math.Round(normalised, 3), p.Text("text", 500)));
        if (support.Feedback.Count > ProfileLimits.Feedback)
        {
            support.Feedback.RemoveAt(0);
        }

        // Whether it is negative depends on the tenant's threshold, so the decision reads the entries;
        // this marks the latest low score for segments and churn (below 0.5 of the scale).
        if (normalised < 0.5)
        {
            support.LastNegativeFeedbackAt = Moments.Latest(support.LastNegativeFeedbackAt, at);
        }
    }

    private static void Appointment(CustomerProfile profile, string type, EventProperties p, DateTimeOffset at)
    {
        var appointments = profile.Appointments;
        var id = p.Text("appointmentId", 128);
        if (id is null)
        {
            return;
        }

        switch (type)
        {
            case "appointment_booked":
            case "appointment_rescheduled":
                if (p.Time("startsAt") is { } startsAt)
                {
                    appointments.Upcoming[id] = startsAt;
                }

                break;
            case "appointment_cancelled":
                if (appointments.Upcoming.Remove(id))
                {
                    appointments.Cancelled++;
                }

                break;
            case "appointment_completed":
                appointments.Upcoming.Remove(id);
                appointments.Completed++;
                appointments.LastVisitAt = Moments.Latest(appointments.LastVisitAt, at);
                Active(profile, at);
                break;
            default:
                appointments.Upcoming.Remove(id);
                appointments.NoShows++;
                appointments.LastNoShowAt = Moments.Latest(appointments.LastNoShowAt, at);
                break;
        }
    }

    private static void Message(CustomerProfile profile, string type, EventProperties p, DateTimeOffset at)
    {
        var engagement = profile.Engagement;
        var channel = p.Channel() ?? ContactChannel.Email;
        switch (type)
        {
            case "message_sent":
                engagement.MessagesSent++;
                var messageId = p.Text("messageId", 128);
                if (messageId is null || !profile.ContactHistory.Exists(t => t.MessageId == messageId))
                {
                    RecordTouch(profile, new ContactTouch(at, channel, p.Purpose() ?? ContactPurpose.Marketing, p.Text("kind", 128) ?? "message", messageId));
                }

                break;
            case "message_delivered":
                engagement.Bounced.Remove(channel);
                break;
            case "message_opened":
                engagement.MessagesOpened++;
                engagement.LastOpenedAt = Moments.Latest(engagement.LastOpenedAt, at);
                Active(profile, at);
                break;
            case "message_clicked":
                engagement.MessagesClicked++;
                engagement.LastClickedAt = Moments.Latest(engagement.LastClickedAt, at);
                Active(profile, at);
                break;
            case "message_bounced":
                if (p.Flag("permanent") != false)
                {
                    engagement.Bounced[channel] = at;
                }

                break;
            default:
                // An unsubscribe without a purpose stops marketing, the one purpose a person may always refuse.
                Consent(profile, p, granted: false, "unsubscribe", at, p.Purpose() ?? ContactPurpose.Marketing);
                break;
        }
    }

    /// <summary>Adds a touch in time order, dropping touches beyond the bounds.</summary>
    public static void RecordTouch(CustomerProfile profile, ContactTouch touch)
    {
        var history = profile.ContactHistory;
        history.Insert(history.FindLastIndex(t => t.At <= touch.At) + 1, touch);
        var cutoff = touch.At - ProfileLimits.ContactHistoryAge;
        while (history.Count > ProfileLimits.ContactHistory || (history.Count > 0 && history[0].At < cutoff && history[0] != touch))
        {
            history.RemoveAt(0);
        }
    }

    private static void Consent(CustomerProfile profile, EventProperties p, bool granted, string source, DateTimeOffset at, ContactPurpose? purposeFallback = null)
    {
        var channels = p.Channel() is { } channel ? [channel] : Enum.GetValues<ContactChannel>();
        var purposes = p.Purpose() is { } purpose ? [purpose] : purposeFallback is { } fallback ? [fallback] : Enum.GetValues<ContactPurpose>();
        foreach (var c in channels)
        {
            foreach (var pu in purposes)
            {
                var key = ContactNames.ConsentKey(c, pu);
                if (!profile.Consent.TryGetValue(key, out var existing) || existing.At <= at)
                {
                    profile.Consent[key] = new ConsentEntry(granted, source, at);
                }
            }
        }
    }

    private static void Active(CustomerProfile profile, DateTimeOffset at) => profile.Engagement.LastActiveAt = Moments.Latest(profile.Engagement.LastActiveAt, at);
}
