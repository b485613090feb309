namespace RetentionPlatform.Profiles.Model;

/// <summary>
/// Combines a merged-away customer's profile into the canonical one. Counters add up, except for orders
/// both profiles know (the same order id sent under both ids), which count once; "latest" facts take the
/// newer statement; the canonical profile wins where both hold a value of the same age.
/// </summary>
internal static class ProfileMerger
{
    public static void Merge(CustomerProfile target, CustomerProfile source)
    {
        target.EventCount += source.EventCount;
        target.FirstSeen = Moments.Earliest(target.FirstSeen, source.FirstSeen);
        if (source.LastSeen > target.LastSeen || target.LastSeen is null)
        {
            (target.LastSeen, target.LastEventType) = (source.LastSeen, source.LastEventType);
        }

        MergeIdentity(target, source);
        foreach (var (name, value) in source.Traits)
        {
            if (target.Traits.Count < ProfileLimits.Traits)
            {
                target.Traits.TryAdd(name, value);
            }
        }

        target.TimeZone ??= source.TimeZone;
        target.Locale ??= source.Locale;
        foreach (var (key, entry) in source.Consent)
        {
            if (!target.Consent.TryGetValue(key, out var existing) || existing.At < entry.At)
            {
                target.Consent[key] = entry;
            }
        }

        var preferences = target.Preferences;
        preferences.QuietHoursStartMinute ??= source.Preferences.QuietHoursStartMinute;
        preferences.QuietHoursEndMinute ??= source.Preferences.QuietHoursEndMinute;
        preferences.PreferredChannel ??= source.Preferences.PreferredChannel;
        preferences.PausedUntil = Moments.Latest(preferences.PausedUntil, source.Preferences.PausedUntil);

        MergeCommerce(target.Commerce, source.Commerce);
        MergeEngagement(target.Engagement, source.Engagement);
        MergeSupport(target.Support, source.Support);

        var appointments = target.Appointments;
        foreach (var (id, start) in source.Appointments.Upcoming)
        {
            appointments.Upcoming.TryAdd(id, start);
        }

        appointments.Completed += source.Appointments.Completed;
        appointments.NoShows += source.Appointments.NoShows;
        appointments.Cancelled += source.Appointments.Cancelled;
        appointments.LastVisitAt = Moments.Latest(appointments.LastVisitAt, source.Appointments.LastVisitAt);
        appointments.LastNoShowAt = Moments.Latest(appointments.LastNoShowAt, source.Appointments.LastNoShowAt);

        if (source.Subscription.ChangedAt > target.Subscription.ChangedAt || target.Subscription.ChangedAt is null)
        {
            target.Subscription = source.Subscription;
        }

        foreach (var touch in source.ContactHistory)
        {
            if (touch.MessageId is null || !target.ContactHistory.Exists(t => t.MessageId == touch.MessageId))
            {
                ProfileEventApplier.RecordTouch(target, touch);
            }
        }

        target.RecentDecisions = [.. target.RecentDecisions.Concat(source.RecentDecisions).OrderBy(d => d.DecidedAt).TakeLast(ProfileLimits.RecentDecisions)];
        target.MergedFrom = [.. target.MergedFrom.Append(source.CustomerId).Concat(source.MergedFrom).Distinct()];
    }

    private static void MergeIdentity(CustomerProfile target, CustomerProfile source)
    {
        var (to, from) = (target.Identity, source.Identity);
        to.Email ??= from.Email;
        to.Phone ??= from.Phone;
        to.FirstName ??= from.FirstName;
        to.LastName ??= from.LastName;
        foreach (var (system, id) in from.ExternalIds)
        {
            if (to.ExternalIds.Count < ProfileLimits.ExternalIds)
            {
                to.ExternalIds.TryAdd(system, id);
            }
        }

        foreach (var alias in from.Aliases.Append(CustomerAliases.Id(source.CustomerId)))
        {
            if (!to.Aliases.Contains(alias))
            {
                to.Aliases.Add(alias);
            }
        }
    }

    private static void MergeCommerce(CommerceStats target, CommerceStats source)
    {
        var known = target.RecentOrders.ToDictionary(o => o.OrderId, StringComparer.Ordinal);
        int overlapping = 0;
        decimal overlappingTotal = 0;
        foreach (var order in source.RecentOrders)
        {
            if (known.ContainsKey(order.OrderId))
            {
                overlapping++;
                overlappingTotal += order.Total;
            }
            else
            {
                ProfileEventApplier.InsertOrder(target, order);
            }
        }

        target.Orders += source.Orders - overlapping;
        target.Revenue += source.Revenue - overlappingTotal;
        target.Refunds += source.Refunds;
        target.Currency ??= source.Currency;
        target.FirstOrderAt = Moments.Earliest(target.FirstOrderAt, source.FirstOrderAt);
        target.LastOrderAt = Moments.Latest(target.LastOrderAt, source.LastOrderAt);
        target.LastRefundAt = Moments.Latest(target.LastRefundAt, source.LastRefundAt);
    }

    private static void MergeEngagement(EngagementStats target, EngagementStats source)
    {
        target.LastActiveAt = Moments.Latest(target.LastActiveAt, source.LastActiveAt);
        target.PageViews += source.PageViews;
        target.ProductViews += source.ProductViews;
        if (source.CartUpdatedAt > target.CartUpdatedAt || target.CartUpdatedAt is null)
        {
            (target.CartItems, target.CartValue, target.CartUpdatedAt) = (source.CartItems, source.CartValue, source.CartUpdatedAt);
        }

        target.CheckoutStartedAt = Moments.Latest(target.CheckoutStartedAt, source.CheckoutStartedAt);
        target.MessagesSent += source.MessagesSent;
        target.MessagesOpened += source.MessagesOpened;
        target.MessagesClicked += source.MessagesClicked;
        target.LastOpenedAt = Moments.Latest(target.LastOpenedAt, source.LastOpenedAt);
        target.LastClickedAt = Moments.Latest(target.LastClickedAt, source.LastClickedAt);
        foreach (var (channel, at) in source.Bounced)
        {
            target.Bounced.TryAdd(channel, at);
        }
    }

    private static void MergeSupport(SupportContext target, SupportContext source)
    {
        foreach (var (id, open) in source.OpenCases)
        {
            if (!target.RecentlyClosed.Contains(id))
            {
                target.OpenCases.TryAdd(id, open);
            }
        }

        target.RecentlyClosed = [.. target.RecentlyClosed.Union(source.RecentlyClosed).TakeLast(ProfileLimits.RecentlyClosedCases)];
        target.LastComplaintAt = Moments.Latest(target.LastComplaintAt, source.LastComplaintAt);
        target.LastNegativeFeedbackAt = Moments.Latest(target.LastNegativeFeedbackAt, source.LastNegativeFeedbackAt);
        target.Feedback = [.. target.Feedback.Concat(source.Feedback).OrderBy(f => f.At).TakeLast(ProfileLimits.Feedback)];
    }
}
