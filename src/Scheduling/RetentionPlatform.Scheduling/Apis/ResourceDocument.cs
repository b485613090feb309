using RetentionPlatform.Scheduling.Model;

namespace RetentionPlatform.Scheduling.Apis;

/// <summary>A resource as answered, with its time off.</summary>
public sealed record ResourceDocument(
    string ResourceId, string LocationId, string Name, string Kind, Dictionary<string, List<WorkingHoursText>> WorkingHours, IReadOnlyList<TimeOffDocument> TimeOff)
{
    public static ResourceDocument From(Resource r, TenantSchedule schedule) =>
        new(r.ResourceId, r.LocationId, r.Name, r.Kind, r.Hours.ToText(), [.. schedule.TimeOff[r.ResourceId].OrderBy(t => t.Interval.Start).Select(TimeOffDocument.From)]);
}
