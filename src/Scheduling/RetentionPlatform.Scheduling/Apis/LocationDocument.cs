using NodaTime.Text;
using RetentionPlatform.Scheduling.Model;

namespace RetentionPlatform.Scheduling.Apis;

/// <summary>A location as answered: holidays as <c>YYYY-MM-DD</c>.</summary>
public sealed record LocationDocument(string LocationId, string Name, string TimeZone, IReadOnlyList<string> Holidays)
{
    public static LocationDocument From(Location l) =>
        new(l.LocationId, l.Name, l.Zone.Id, [.. l.Holidays.Order().Select(d => LocalDatePattern.Iso.Format(d))]);
}
