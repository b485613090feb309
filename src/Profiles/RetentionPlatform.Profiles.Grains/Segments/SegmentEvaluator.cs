using System.Globalization;
using RetentionPlatform.Profiles.Model;

namespace RetentionPlatform.Profiles.Segments;

/// <summary>
/// Decides segment membership on a profile at one instant, and when the answer can next change on its own
/// (a time condition such as "no order for 60 days" turning true), so the grain can wake at that moment.
/// </summary>
public static class SegmentEvaluator
{
    /// <summary>Whether every condition holds at <paramref name="now"/>; <paramref name="nextChange"/> is the earliest later instant at which a time condition flips.</summary>
    public static bool IsMember(CustomerProfile profile, SegmentDefinition segment, DateTimeOffset now, ref DateTimeOffset? nextChange)
    {
        var member = true;
        foreach (var condition in segment.Conditions)
        {
            // Every condition is visited (no short-circuit) so each time condition reports its next flip.
            member &= Holds(profile, condition, now, ref nextChange);
        }

        return member;
    }

    private static bool Holds(CustomerProfile profile, SegmentCondition condition, DateTimeOffset now, ref DateTimeOffset? nextChange)
    {
        var value = SegmentFields.Read(profile, condition.Field);
        switch (condition.Operator)
        {
            case SegmentOperators.Exists:
                return value.Exists;
            case SegmentOperators.NotExists:
                return !value.Exists;
        }

        if (!value.Exists || condition.Value is null)
        {
            return false;
        }

        if (value.Kind == SegmentValueKind.Time)
        {
            if (!SegmentFields.TryParseDuration(condition.Value, out var duration))
            {
                return false;
            }

            // olderThan: true from time + d on. within: true from time - d (a future time) until time + d.
            var from = condition.Operator == SegmentOperators.OlderThan ? value.Time + duration : value.Time - duration;
            var until = condition.Operator == SegmentOperators.OlderThan ? DateTimeOffset.MaxValue : value.Time + duration;
            Moments.ConsiderNext(ref nextChange, from, now);
            Moments.ConsiderNext(ref nextChange, until, now);
            return now >= from && now < until;
        }

        return value.Kind switch
        {
            SegmentValueKind.Number when double.TryParse(condition.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => Compare(value.Number.CompareTo(number), condition.Operator),
            SegmentValueKind.Flag when bool.TryParse(condition.Value, out var flag) => Compare(value.Flag == flag ? 0 : 1, condition.Operator, equalityOnly: true),
            SegmentValueKind.Text => Compare(string.Equals(value.Text, condition.Value, StringComparison.OrdinalIgnoreCase) ? 0 : 1, condition.Operator, equalityOnly: true),
            _ => false,
        };
    }

    private static bool Compare(int comparison, string op, bool equalityOnly = false) => op switch
    {
        SegmentOperators.Eq => comparison == 0,
        SegmentOperators.Neq => comparison != 0,
        SegmentOperators.Gt when !equalityOnly => comparison > 0,
        SegmentOperators.Gte when !equalityOnly => comparison >= 0,
        SegmentOperators.Lt when !equalityOnly => comparison < 0,
        SegmentOperators.Lte when !equalityOnly => comparison <= 0,
        _ => false,
    };
}
