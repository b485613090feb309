using System.Globalization;
using NodaTime;

namespace RetentionPlatform.Scheduling.Model;

/// <summary>
/// When a resource works, per day of the week, in its location's wall-clock time. Gaps between a day's intervals are
/// its breaks. A day left out is a day off.
/// </summary>
public sealed class WeeklyHours
{
    public static readonly IReadOnlyList<string> DayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    private readonly IReadOnlyList<WorkingInterval>[] _days;

    public WeeklyHours(IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<WorkingInterval>> days)
    {
        _days = new IReadOnlyList<WorkingInterval>[7];
        for (var i = 0; i < 7; i++)
        {
            _days[i] = days.TryGetValue((IsoDayOfWeek)(i + 1), out var intervals) ? [.. intervals.OrderBy(x => x.StartMinute)] : [];
        }
    }

    public IReadOnlyList<WorkingInterval> On(IsoDayOfWeek day) => _days[(int)day - 1];

    /// <summary>The hours as text: <c>{"monday": [["09:00", "17:00"]], ...}</c> shape for storage and answers.</summary>
    public Dictionary<string, List<WorkingHoursText>> ToText()
    {
        var text = new Dictionary<string, List<WorkingHoursText>>(StringComparer.Ordinal);
        for (var i = 0; i < 7; i++)
        {
            if (_days[i].Count > 0)
            {
                text[DayNames[i]] = [.. _days[i].Select(x => new WorkingHoursText(Clock(x.StartMinute), Clock(x.EndMinute)))];
            }
        }

        return text;
    }

    /// <summary>Reads and checks hours given as text; every problem is recorded under <c>workingHours.{day}[i]</c>.</summary>
    public static WeeklyHours? Parse(IReadOnlyDictionary<string, IReadOnlyList<WorkingHoursText>> text, Dictionary<string, string[]> errors, string field)
    {
        var before = errors.Count;
        var days = new Dictionary<IsoDayOfWeek, IReadOnlyList<WorkingInterval>>();
        foreach (var (name, intervals) in text)
        {
            var index = DayNames.ToList().IndexOf(name);
            if (index < 0)
            {
                errors[$"{field}.{name}"] = [$"'{name}' is not a day; use {string.Join(", ", DayNames)}."];
                continue;
            }

            var parsed = new List<WorkingInterval>();
            for (var i = 0; i < intervals.Count; i++)
            {
                var path = $"{field}.{name}[{i}]";
                var start = Minute(intervals[i].Start, allowEndOfDay: false);
                var end = Minute(intervals[i].End, allowEndOfDay: true);
                if (start is null || end is null)
                {
                    errors[path] = ["Give start and end as \"HH:mm\" (00:00-23:59; the end may be 24:00)."];
                }
                else if (end <= start)
                {
                    errors[path] = [$"The end ({intervals[i].End}) must be after the start ({intervals[i].Start})."];
                }
                else
                {
                    parsed.Add(new WorkingInterval(start.Value, end.Value));
                }
            }

            parsed.Sort((a, b) => a.StartMinute.CompareTo(b.StartMinute));
            for (var i = 1; i < parsed.Count; i++)
            {
                if (parsed[i].StartMinute < parsed[i - 1].EndMinute)
                {
                    errors[$"{field}.{name}"] = ["The intervals of a day must not overlap."];
                }
            }

            days[(IsoDayOfWeek)(index + 1)] = parsed;
        }

        return errors.Count > before ? null : new WeeklyHours(days);
    }

    private static int? Minute(string? text, bool allowEndOfDay)
    {
        if (allowEndOfDay && text == "24:00")
        {
            return WorkingInterval.EndOfDay;
        }

        return text is { Length: 5 } && TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time.Hour * 60 + time.Minute
            : null;
    }

    private static string Clock(int minute) => minute == WorkingInterval.EndOfDay
        ? "24:00"
        : string.Create(CultureInfo.InvariantCulture, $"{minute / 60:00}:{minute % 60:00}");
}
