using NodaTime;
using NodaTime.Text;

namespace RetentionPlatform.Notifications.Templates;

/// <summary>
/// What the helpers of one render need (zone, language, click tracking). It travels in the render's own
/// Handlebars data, never in shared state, so concurrent renders cannot see each other's.
/// </summary>
internal sealed class RenderState(DateTimeZone zone, bool zoneKnown, LocaleTexts texts, Func<Uri, Uri>? trackClick)
{
    private static readonly OffsetDateTimePattern[] OffsetPatterns = [OffsetDateTimePattern.ExtendedIso, OffsetDateTimePattern.Rfc3339];
    private static readonly LocalDateTimePattern LocalPattern = LocalDateTimePattern.ExtendedIso;
    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;

    public DateTimeZone Zone { get; } = zone;

    public LocaleTexts Texts { get; } = texts;

    public Func<Uri, Uri>? TrackClick { get; } = trackClick;

    public static RenderState For(string? timeZone, string? locale, Func<Uri, Uri>? trackClick)
    {
        var zone = string.IsNullOrWhiteSpace(timeZone) ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone);
        return new RenderState(zone ?? DateTimeZone.Utc, zone is not null, LocaleTexts.For(locale), trackClick);
    }

    public ZonedDateTime InZone(Instant instant) => instant.InZone(Zone);

    public string FormatInstant(Instant instant) => Texts.FormatDateTime(InZone(instant).LocalDateTime);

    /// <summary>
    /// Formats an ISO 8601 / RFC 3339 timestamp in the customer's zone. A time with an offset is converted; one without
    /// is taken as already local. When the customer's zone is unknown, a time keeps its own offset rather than
    /// turning into UTC. Text that is no timestamp comes back unchanged.
    /// </summary>
    public string FormatTimestamp(string text)
    {
        var trimmed = text.Trim();
        foreach (var pattern in OffsetPatterns)
        {
            var parsed = pattern.Parse(trimmed);
            if (parsed.Success)
            {
                var local = zoneKnown ? parsed.Value.ToInstant().InZone(Zone).LocalDateTime : parsed.Value.LocalDateTime;
                return Texts.FormatDateTime(local);
            }
        }

        var localParsed = LocalPattern.Parse(trimmed);
        if (localParsed.Success)
        {
            return Texts.FormatDateTime(localParsed.Value);
        }

        var dateParsed = DatePattern.Parse(trimmed);
        return dateParsed.Success ? Texts.FormatDate(dateParsed.Value) : text;
    }
}
