using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using RetentionPlatform.Profiles.Model;
using V1 = RetentionPlatform.Contracts.Profiles.V1;

namespace RetentionPlatform.Profiles.Grpc;

/// <summary>Conversions between the grains' types and the <c>retention.profiles.v1</c> messages.</summary>
internal static class ProfileMessages
{
    public static V1.CustomerProfile ToMessage(CustomerProfile profile)
    {
        var message = new V1.CustomerProfile
        {
            CustomerId = profile.CustomerId,
            EventCount = profile.EventCount,
            FirstSeen = Time(profile.FirstSeen),
            LastSeen = Time(profile.LastSeen),
            LastEventType = profile.LastEventType ?? "",
            Identity = new V1.CustomerIdentity
            {
                Email = profile.Identity.Email ?? "",
                Phone = profile.Identity.Phone ?? "",
                FirstName = profile.Identity.FirstName ?? "",
                LastName = profile.Identity.LastName ?? "",
                ExternalIds = { profile.Identity.ExternalIds },
                Aliases = { profile.Identity.Aliases },
            },
            TimeZone = profile.TimeZone ?? "",
            Locale = profile.Locale ?? "",
            Preferences = new V1.ContactPreferences
            {
                QuietHoursStart = profile.Preferences.QuietHoursStartMinute is { } start ? ApiValues.FormatMinuteOfDay(start) : "",
                QuietHoursEnd = profile.Preferences.QuietHoursEndMinute is { } end ? ApiValues.FormatMinuteOfDay(end) : "",
                PreferredChannel = profile.Preferences.PreferredChannel is { } preferred ? ToMessage(preferred) : V1.ContactChannel.Unspecified,
                PausedUntil = Time(profile.Preferences.PausedUntil),
            },
            Commerce = new V1.CommerceStats
            {
                Orders = profile.Commerce.Orders,
                Revenue = Amount(profile.Commerce.Revenue),
                Refunds = profile.Commerce.Refunds,
                AverageOrderValue = Amount(profile.Commerce.AverageOrderValue),
                FirstOrderAt = Time(profile.Commerce.FirstOrderAt),
                LastOrderAt = Time(profile.Commerce.LastOrderAt),
                LastRefundAt = Time(profile.Commerce.LastRefundAt),
                Currency = profile.Commerce.Currency ?? "",
            },
            Engagement = new V1.EngagementStats
            {
                LastActiveAt = Time(profile.Engagement.LastActiveAt),
                PageViews = profile.Engagement.PageViews,
                ProductViews = profile.Engagement.ProductViews,
                CartItems = profile.Engagement.CartItems,
                CartValue = Amount(profile.Engagement.CartValue),
                MessagesSent = profile.Engagement.MessagesSent,
                MessagesOpened = profile.Engagement.MessagesOpened,
                MessagesClicked = profile.Engagement.MessagesClicked,
                BouncedChannels = { profile.Engagement.Bounced.Keys.Order().Select(ToMessage) },
            },
            Support = new V1.SupportContext
            {
                OpenCases =
                {
                    profile.Support.OpenCases.Values.OrderBy(c => c.OpenedAt).Select(c => new V1.SupportCase
                    {
                        CaseId = c.CaseId,
                        OpenedAt = Time(c.OpenedAt),
                        Complaint = c.Complaint,
                        HumanRequested = c.HumanRequested,
                        Reason = c.Reason ?? "",
                    }),
                },
                LastComplaintAt = Time(profile.Support.LastComplaintAt),
                LastNegativeFeedbackAt = Time(profile.Support.LastNegativeFeedbackAt),
            },
            Appointments = new V1.AppointmentStats
            {
                NextAppointmentAt = Time(profile.Appointments.Next),
                Upcoming = profile.Appointments.Upcoming.Count,
                Completed = profile.Appointments.Completed,
                NoShows = profile.Appointments.NoShows,
                Cancelled = profile.Appointments.Cancelled,
                LastVisitAt = Time(profile.Appointments.LastVisitAt),
            },
            Subscription = new V1.SubscriptionState
            {
                Status = profile.Subscription.Status,
                Plan = profile.Subscription.Plan ?? "",
                StartedAt = Time(profile.Subscription.StartedAt),
                CancelledAt = Time(profile.Subscription.CancelledAt),
            },
            Segments = { profile.Segments.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new V1.SegmentMembership { SegmentId = s.Key, EnteredAt = Time(s.Value) }) },
            Churn = new V1.ChurnRisk { Score = profile.Churn.Score, Level = profile.Churn.Level, Reasons = { profile.Churn.Reasons } },
            Rfm = new V1.RfmScores { Recency = profile.Rfm.Recency, Frequency = profile.Rfm.Frequency, Monetary = profile.Rfm.Monetary },
            LifetimeValue = new V1.LifetimeValue
            {
                Historical = Amount(profile.LifetimeValue.Historical),
                PredictedNext12Months = Amount(profile.LifetimeValue.PredictedNext12Months),
            },
            MergedFrom = { profile.MergedFrom },
            RecentDecisions = { profile.RecentDecisions.Select(ToMessage) },
            ContactHistory =
            {
                profile.ContactHistory.Select(t => new V1.ContactTouch
                {
                    At = Time(t.At),
                    Channel = ToMessage(t.Channel),
                    Purpose = ToMessage(t.Purpose),
                    Kind = t.Kind,
                    MessageId = t.MessageId ?? "",
                }),
            },
        };

        if (profile.Commerce.CadenceDays is { } cadence)
        {
            message.Commerce.CadenceDays = cadence;
        }

        foreach (var (name, value) in profile.Traits)
        {
            message.Traits[name] = ToMessage(value);
        }

        foreach (var (key, entry) in profile.Consent.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var parts = key.Split(':');
            if (parts.Length == 2 && ContactNames.TryParseChannel(parts[0], out var channel) && ContactNames.TryParsePurpose(parts[1], out var purpose))
            {
                message.Consent.Add(new V1.ConsentEntry { Channel = ToMessage(channel), Purpose = ToMessage(purpose), Granted = entry.Granted, Source = entry.Source, At = Time(entry.At) });
            }
        }

        return message;
    }

    public static V1.ContactDecision ToMessage(ContactDecision decision) => new()
    {
        Outcome = decision.Outcome switch
        {
            ContactOutcome.Allow => V1.ContactOutcome.Allow,
            ContactOutcome.Defer => V1.ContactOutcome.Defer,
            ContactOutcome.Deny => V1.ContactOutcome.Deny,
            _ => V1.ContactOutcome.Unspecified,
        },
        Reason = decision.Reason,
        Detail = decision.Detail,
        DeferUntil = Time(decision.DeferUntil),
        DecidedAt = Time(decision.DecidedAt),
        Channel = ToMessage(decision.Channel),
        Purpose = ToMessage(decision.Purpose),
        Kind = decision.Kind,
    };

    public static V1.TraitValue ToMessage(TraitValue value) =>
        value.Text is { } text ? new V1.TraitValue { Text = text }
        : value.Number is { } number ? new V1.TraitValue { Number = number }
        : new V1.TraitValue { Flag = value.Flag == true };

    /// <summary>A trait value from the wire; a value with nothing set comes back empty, which validation rejects.</summary>
    public static TraitValue FromMessage(V1.TraitValue value) => value.ValueCase switch
    {
        V1.TraitValue.ValueOneofCase.Text => new TraitValue(Text: value.Text),
        V1.TraitValue.ValueOneofCase.Number => new TraitValue(Number: value.Number),
        V1.TraitValue.ValueOneofCase.Flag => new TraitValue(Flag: value.Flag),
        _ => new TraitValue(),
    };

    public static V1.ContactChannel ToMessage(ContactChannel channel) => channel switch
    {
        ContactChannel.Email => V1.ContactChannel.Email,
        ContactChannel.Sms => V1.ContactChannel.Sms,
        ContactChannel.Push => V1.ContactChannel.Push,
        ContactChannel.Webhook => V1.ContactChannel.Webhook,
        _ => V1.ContactChannel.Unspecified,
    };

    public static V1.ContactPurpose ToMessage(ContactPurpose purpose) => purpose switch
    {
        ContactPurpose.Transactional => V1.ContactPurpose.Transactional,
        ContactPurpose.Service => V1.ContactPurpose.Service,
        ContactPurpose.Marketing => V1.ContactPurpose.Marketing,
        _ => V1.ContactPurpose.Unspecified,
    };

    /// <summary>The API name of a channel (email, sms...); null when unspecified; the number itself when unknown (so validation can name it).</summary>
    public static string? NameOf(V1.ContactChannel channel) => channel switch
    {
        V1.ContactChannel.Unspecified => null,
        V1.ContactChannel.Email => ContactNames.Of(ContactChannel.Email),
        V1.ContactChannel.Sms => ContactNames.Of(ContactChannel.Sms),
        V1.ContactChannel.Push => ContactNames.Of(ContactChannel.Push),
        V1.ContactChannel.Webhook => ContactNames.Of(ContactChannel.Webhook),
        _ => ((int)channel).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The API name of a purpose; null when unspecified; the number itself when unknown.</summary>
    public static string? NameOf(V1.ContactPurpose purpose) => purpose switch
    {
        V1.ContactPurpose.Unspecified => null,
        V1.ContactPurpose.Transactional => ContactNames.Of(ContactPurpose.Transactional),
        V1.ContactPurpose.Service => ContactNames.Of(ContactPurpose.Service),
        V1.ContactPurpose.Marketing => ContactNames.Of(ContactPurpose.Marketing),
        _ => ((int)purpose).ToString(CultureInfo.InvariantCulture),
    };

    public static V1.Segment ToMessage(SegmentDefinition segment) => new()
    {
        SegmentId = segment.Id,
        Name = segment.Name,
        Conditions =
        {
            segment.Conditions.Select(c =>
            {
                var condition = new V1.SegmentCondition { Field = c.Field, Operator = c.Operator };
                if (c.Value is { } value)
                {
                    condition.Value = value;
                }

                return condition;
            }),
        },
    };

    public static SegmentDefinition FromMessage(V1.Segment segment) => new(
        segment.SegmentId,
        segment.Name,
        segment.Conditions.Select(c => new SegmentCondition(c.Field, c.Operator, c.HasValue ? c.Value : null)).ToList());

    public static V1.ContactPolicy ToMessage(ContactPolicy policy) => new()
    {
        BudgetMaxTouches = policy.BudgetMaxTouches,
        BudgetWindow = Duration.FromTimeSpan(policy.BudgetWindow),
        QuietHoursStart = ApiValues.FormatMinuteOfDay(policy.QuietHoursStartMinute),
        QuietHoursEnd = ApiValues.FormatMinuteOfDay(policy.QuietHoursEndMinute),
        DefaultTimeZone = policy.DefaultTimeZone,
        NegativeFeedbackWindow = Duration.FromTimeSpan(policy.NegativeFeedbackWindow),
        NegativeFeedbackThreshold = policy.NegativeFeedbackThreshold,
        RefundWindow = Duration.FromTimeSpan(policy.RefundWindow),
        CancellationWindow = Duration.FromTimeSpan(policy.CancellationWindow),
        AppointmentQuietPeriod = Duration.FromTimeSpan(policy.AppointmentQuietPeriod),
        DefaultPurchaseCadence = Duration.FromTimeSpan(policy.DefaultPurchaseCadence),
        MonetaryBands = { policy.MonetaryBands.Select(Amount) },
    };

    /// <summary>A policy from the wire, read field by field (unset: null, so the default applies); bad values recorded.</summary>
    public static ContactPolicyInput FromMessage(V1.ContactPolicy policy, FieldErrors errors)
    {
        List<decimal>? bands = null;
        if (policy.MonetaryBands.Count > 0)
        {
            bands = [];
            for (var i = 0; i < policy.MonetaryBands.Count; i++)
            {
                if (decimal.TryParse(policy.MonetaryBands[i], NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
                {
                    bands.Add(amount);
                }
                else
                {
                    errors.Add($"monetaryBands[{i}]", $"'{policy.MonetaryBands[i]}' is not a decimal amount such as 150 or 49.90.");
                }
            }
        }

        return new ContactPolicyInput
        {
            BudgetMaxTouches = policy.HasBudgetMaxTouches ? policy.BudgetMaxTouches : null,
            BudgetWindow = Span(policy.BudgetWindow, "budgetWindow", errors),
            QuietHoursStart = policy.HasQuietHoursStart ? policy.QuietHoursStart : null,
            QuietHoursEnd = policy.HasQuietHoursEnd ? policy.QuietHoursEnd : null,
            DefaultTimeZone = policy.HasDefaultTimeZone ? policy.DefaultTimeZone : null,
            NegativeFeedbackWindow = Span(policy.NegativeFeedbackWindow, "negativeFeedbackWindow", errors),
            NegativeFeedbackThreshold = policy.HasNegativeFeedbackThreshold ? policy.NegativeFeedbackThreshold : null,
            RefundWindow = Span(policy.RefundWindow, "refundWindow", errors),
            CancellationWindow = Span(policy.CancellationWindow, "cancellationWindow", errors),
            AppointmentQuietPeriod = Span(policy.AppointmentQuietPeriod, "appointmentQuietPeriod", errors),
            DefaultPurchaseCadence = Span(policy.DefaultPurchaseCadence, "defaultPurchaseCadence", errors),
            MonetaryBands = bands,
        };
    }

    /// <summary>A timestamp from the wire; an invalid one (out of range, bad nanos) is recorded instead of thrown.</summary>
    public static DateTimeOffset? TimeOf(Timestamp? timestamp, string field, FieldErrors errors)
    {
        if (timestamp is null)
        {
            return null;
        }

        try
        {
            return timestamp.ToDateTimeOffset();
        }
        catch (InvalidOperationException)
        {
            errors.Add(field, "The timestamp is out of range or not normalized.");
            return null;
        }
    }

    public static Timestamp? Time(DateTimeOffset? time) => time is { } value ? Timestamp.FromDateTimeOffset(value) : null;

    private static TimeSpan? Span(Duration? duration, string field, FieldErrors errors)
    {
        if (duration is null)
        {
            return null;
        }

        try
        {
            return duration.ToTimeSpan();
        }
        catch (Exception ex) when (ex is InvalidOperationException or OverflowException)
        {
            errors.Add(field, "The duration is out of range or not normalized.");
            return null;
        }
    }

    private static string Amount(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);
}
