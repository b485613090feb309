using System.Globalization;
using System.Text;
using NodaTime;
using NodaTime.Text;

namespace RetentionPlatform.Scheduling.Model;

/// <summary>ISO 8601 durations (<c>PT24H</c>, <c>P1DT2H</c>, <c>PT90M</c>), as the rest of the platform writes them.</summary>
public static class IsoDuration
{
    /// <summary>The duration, or null when the text is not an ISO 8601 duration of whole days, hours, minutes and seconds.</summary>
    public static Duration? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text[0] != 'P')
        {
            return null;
        }

        var result = PeriodPattern.NormalizingIso.Parse(text);
        if (!result.Success || result.Value is not { Years: 0, Months: 0 } period)
        {
            return null;
        }

        Duration duration;
        try
        {
            duration = period.ToDuration();
        }
        catch (OverflowException)
        {
            return null;
        }

        // Whole seconds only: what is stored and answered is written back in seconds, so a fraction would change.
        return duration < Duration.Zero || duration.SubsecondNanoseconds != 0 ? null : duration;
    }

    /// <summary>The shortest ISO 8601 form: <c>PT0S</c>, <c>PT2H</c>, <c>P1DT30M</c>.</summary>
    public static string Format(Duration duration)
    {
        var seconds = (long)Math.Round(duration.TotalSeconds);
        if (seconds == 0)
        {
            return "PT0S";
        }

        var text = new StringBuilder(seconds < 0 ? "-P" : "P");
        seconds = Math.Abs(seconds);
        var (days, rest) = Math.DivRem(seconds, 86_400);
        if (days > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{days}D");
        }

        if (rest > 0)
        {
            text.Append('T');
            var (hours, minutes, secs) = (rest / 3600, rest / 60 % 60, rest % 60);
            if (hours > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{hours}H");
            }

            if (minutes > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{minutes}M");
            }

            if (secs > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{secs}S");
            }
        }

        return text.ToString();
    }
}
