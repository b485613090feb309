using System.Globalization;
using System.Xml;

namespace RetentionPlatform.Profiles.Segments;

/// <summary>
/// The fields a segment condition can test, their kinds, and which operators each kind takes. Also validates
/// definitions, so the API can say exactly what is wrong before anything is stored.
/// </summary>
public static class SegmentFields
{
    public const int MaxConditions = 20;

    private static readonly Dictionary<string, Func<CustomerProfile, SegmentValue>> Fields = new(StringComparer.Ordinal)
    {
        ["eventCount"] = p => SegmentValue.Of(p.EventCount),
        ["orders"] = p => SegmentValue.Of(p.Commerce.Orders),
        ["revenue"] = p => SegmentValue.Of((double)p.Commerce.Revenue),
        ["averageOrderValue"] = p => SegmentValue.Of((double)p.Commerce.AverageOrderValue),
        ["refunds"] = p => SegmentValue.Of(p.Commerce.Refunds),
        ["cadenceDays"] = p => p.Commerce.CadenceDays is { } d ? SegmentValue.Of(d) : SegmentValue.Missing(SegmentValueKind.Number),
        ["pageViews"] = p => SegmentValue.Of(p.Engagement.PageViews),
        ["productViews"] = p => SegmentValue.Of(p.Engagement.ProductViews),
        ["cartItems"] = p => SegmentValue.Of(p.Engagement.CartItems),
        ["cartValue"] = p => SegmentValue.Of((double)p.Engagement.CartValue),
        ["messagesOpened"] = p => SegmentValue.Of(p.Engagement.MessagesOpened),
        ["messagesClicked"] = p => SegmentValue.Of(p.Engagement.MessagesClicked),
        ["openSupportCases"] = p => SegmentValue.Of(p.Support.OpenCases.Count),
        ["appointmentsCompleted"] = p => SegmentValue.Of(p.Appointments.Completed),
        ["noShows"] = p => SegmentValue.Of(p.Appointments.NoShows),
        ["churnScore"] = p => SegmentValue.Of(p.Churn.Score),
        ["rfm.recency"] = p => SegmentValue.Of(p.Rfm.Recency),
        ["rfm.frequency"] = p => SegmentValue.Of(p.Rfm.Frequency),
        ["rfm.monetary"] = p => SegmentValue.Of(p.Rfm.Monetary),
        ["lifetimeValue"] = p => SegmentValue.Of((double)p.LifetimeValue.Total),
        ["churnLevel"] = p => SegmentValue.Of(p.Churn.Level),
        ["subscription.status"] = p => SegmentValue.Of(p.Subscription.Status),
        ["subscription.plan"] = p => SegmentValue.Of(p.Subscription.Plan),
        ["locale"] = p => SegmentValue.Of(p.Locale),
        ["timeZone"] = p => SegmentValue.Of(p.TimeZone),
        ["lastEventType"] = p => SegmentValue.Of(p.LastEventType),
        ["humanOwner"] = p => SegmentValue.Of(p.Support.HumanOwner is not null),
        ["firstSeen"] = p => SegmentValue.Of(p.FirstSeen),
        ["lastSeen"] = p => SegmentValue.Of(p.LastSeen),
        ["lastActiveAt"] = p => SegmentValue.Of(p.Engagement.LastActiveAt),
        ["firstOrderAt"] = p => SegmentValue.Of(p.Commerce.FirstOrderAt),
        ["lastOrderAt"] = p => SegmentValue.Of(p.Commerce.LastOrderAt),
        ["lastRefundAt"] = p => SegmentValue.Of(p.Commerce.LastRefundAt),
        ["cartUpdatedAt"] = p => SegmentValue.Of(p.Engagement.CartItems > 0 ? p.Engagement.CartUpdatedAt : null),
        ["checkoutStartedAt"] = p => SegmentValue.Of(p.Engagement.CheckoutStartedAt),
        ["lastOpenedAt"] = p => SegmentValue.Of(p.Engagement.LastOpenedAt),
        ["lastClickedAt"] = p => SegmentValue.Of(p.Engagement.LastClickedAt),
        ["lastComplaintAt"] = p => SegmentValue.Of(p.Support.LastComplaintAt),
        ["lastNegativeFeedbackAt"] = p => SegmentValue.Of(p.Support.LastNegativeFeedbackAt),
        ["lastVisitAt"] = p => SegmentValue.Of(p.Appointments.LastVisitAt),
        ["lastNoShowAt"] = p => SegmentValue.Of(p.Appointments.LastNoShowAt),
        ["nextAppointmentAt"] = p => SegmentValue.Of(p.Appointments.Next),
        ["subscription.startedAt"] = p => SegmentValue.Of(p.Subscription.StartedAt),
        ["subscription.cancelledAt"] = p => SegmentValue.Of(p.Subscription.CancelledAt),
    };

    /// <summary>The documented field names (plus <c>trait.&lt;name&gt;</c> and <c>consent.&lt;channel&gt;.&lt;purpose&gt;</c>).</summary>
    public static IEnumerable<string> Names => Fields.Keys;

    /// <summary>Reads a field of a profile; unknown fields read as missing.</summary>
    public static SegmentValue Read(CustomerProfile profile, string field)
    {
        if (Fields.TryGetValue(field, out var read))
        {
            return read(profile);
        }

        if (field.StartsWith("trait.", StringComparison.Ordinal))
        {
            return profile.Traits.TryGetValue(field["trait.".Length..], out var trait)
                ? trait.Number is { } n ? SegmentValue.Of(n) : trait.Flag is { } f ? SegmentValue.Of(f) : SegmentValue.Of(trait.Text)
                : SegmentValue.Missing(SegmentValueKind.Any);
        }

        if (TryParseConsentField(field, out var key))
        {
            return SegmentValue.Of(profile.Consent.TryGetValue(key, out var entry) && entry.Granted);
        }

        return SegmentValue.Missing(SegmentValueKind.Any);
    }

    /// <summary>Every problem of a definition, keyed by the JSON path of the part that has it; empty when valid.</summary>
    public static Dictionary<string, string[]> Validate(SegmentDefinition segment)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(segment.Id) || segment.Id.Length > 64 || !segment.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            errors["id"] = ["The id must be 1-64 letters, digits, '-' or '_'."];
        }

        if (string.IsNullOrWhiteSpace(segment.Name) || segment.Name.Length > 200)
        {
            errors["name"] = ["The name must be 1-200 characters."];
        }

        if (segment.Conditions is null || segment.Conditions.Count is 0 or > MaxConditions)
        {
            errors["conditions"] = [$"A segment needs 1-{MaxConditions} conditions."];
            return errors;
        }

        for (var i = 0; i < segment.Conditions.Count; i++)
        {
            if (ValidateCondition(segment.Conditions[i]) is { } problem)
            {
                errors[$"conditions[{i}]"] = [problem];
            }
        }

        return errors;
    }

    private static string? ValidateCondition(SegmentCondition? condition)
    {
        if (condition is null || string.IsNullOrEmpty(condition.Field))
        {
            return "A condition needs a field.";
        }

        var kind = KindOf(condition.Field);
        if (kind is null)
        {
            return $"'{condition.Field}' is not a segment field. Fields: {string.Join(", ", Names)}, trait.<name>, consent.<channel>.<purpose>.";
        }

        var op = condition.Operator;
        if (op is SegmentOperators.Exists or SegmentOperators.NotExists)
        {
            return null;
        }

        if (!SegmentOperators.For(kind.Value).Contains(op))
        {
            return $"'{op}' does not apply to '{condition.Field}'. Use one of: {string.Join(", ", SegmentOperators.For(kind.Value))}.";
        }

        if (condition.Value is null)
        {
            return $"'{op}' needs a value.";
        }

        return kind switch
        {
            SegmentValueKind.Time when TryParseDuration(condition.Value, out _) is false => "The value must be an ISO 8601 duration such as P60D or PT2H.",
            SegmentValueKind.Number when !double.TryParse(condition.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) => "The value must be a number.",
            SegmentValueKind.Flag when !bool.TryParse(condition.Value, out _) => "The value must be true or false.",
            _ => null,
        };
    }

    private static SegmentValueKind? KindOf(string field)
    {
        if (Fields.TryGetValue(field, out var read))
        {
            return read(new CustomerProfile()).Kind;
        }

        if (field.StartsWith("trait.", StringComparison.Ordinal) && field.Length is > 6 and <= 70)
        {
            return SegmentValueKind.Any;
        }

        return TryParseConsentField(field, out _) ? SegmentValueKind.Flag : null;
    }

    private static bool TryParseConsentField(string field, out string key)
    {
        key = "";
        var parts = field.Split('.');
        if (parts.Length == 3 && parts[0] == "consent"
            && ContactNames.TryParseChannel(parts[1], out var channel) && ContactNames.TryParsePurpose(parts[2], out var purpose))
        {
            key = ContactNames.ConsentKey(channel, purpose);
            return true;
        }

        return false;
    }

    /// <summary>Reads a positive ISO 8601 duration (P60D, PT2H, P1DT12H).</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        try
        {
            duration = XmlConvert.ToTimeSpan(text);
            return duration > TimeSpan.Zero;
        }
        catch (FormatException)
        {
            duration = default;
            return false;
        }
        catch (OverflowException)
        {
            duration = default;
            return false;
        }
    }
}
