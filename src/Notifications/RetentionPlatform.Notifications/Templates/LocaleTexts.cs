using System.Globalization;
using NodaTime;

namespace RetentionPlatform.Notifications.Templates;

/// <summary>
/// The words a rendered message needs in one language: day and month names and the footer links.
/// The service runs with invariant globalization, so CultureInfo has no month names to offer; these tables are them.
/// </summary>
internal sealed class LocaleTexts
{
    public static readonly LocaleTexts English = new(
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
        dayOrdinalSuffix: "",
        timeJoiner: "at",
        humanLink: "Questions? Talk to a person",
        unsubscribeLink: "Unsubscribe");

    public static readonly LocaleTexts German = new(
        ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
        ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
        dayOrdinalSuffix: ".",
        timeJoiner: "um",
        humanLink: "Fragen? Sprechen Sie mit einem Menschen",
        unsubscribeLink: "Abmelden");

    private readonly string[] _dayNames;
    private readonly string[] _monthNames;
    private readonly string _dayOrdinalSuffix;
    private readonly string _timeJoiner;

    private LocaleTexts(string[] dayNames, string[] monthNames, string dayOrdinalSuffix, string timeJoiner, string humanLink, string unsubscribeLink)
    {
        _dayNames = dayNames;
        _monthNames = monthNames;
        _dayOrdinalSuffix = dayOrdinalSuffix;
        _timeJoiner = timeJoiner;
        HumanLink = humanLink;
        UnsubscribeLink = unsubscribeLink;
    }

    public string HumanLink { get; }

    public string UnsubscribeLink { get; }

    /// <summary>The texts for a locale's language; English for any other language.</summary>
    public static LocaleTexts For(string? locale) =>
        LocaleFallback.IsValidLocale(locale) && LocaleFallback.LanguageOf(locale!) == "de" ? German : English;

    /// <summary>"Monday, 22 November 2027" / "Montag, 22. November 2027".</summary>
    public string FormatDate(LocalDate date) => string.Create(
        CultureInfo.InvariantCulture,
        $"{_dayNames[(int)date.DayOfWeek - 1]}, {date.Day}{_dayOrdinalSuffix} {_monthNames[date.Month - 1]} {date.Year}");

    /// <summary>"Monday, 22 November 2027 at 09:00" / "Montag, 22. November 2027 um 09:00".</summary>
    public string FormatDateTime(LocalDateTime dateTime) => string.Create(
        CultureInfo.InvariantCulture,
        $"{FormatDate(dateTime.Date)} {_timeJoiner} {dateTime.Hour:00}:{dateTime.Minute:00}");
}
