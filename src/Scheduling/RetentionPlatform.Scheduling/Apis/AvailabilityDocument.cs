using RetentionPlatform.Scheduling.Model;

namespace RetentionPlatform.Scheduling.Apis;

/// <summary>Free slots as answered.</summary>
public sealed record AvailabilityDocument(string ServiceId, string TimeZone, IReadOnlyList<SlotDocument> Slots)
{
    public static AvailabilityDocument From(AvailabilityResult result) => new(
        result.Service.ServiceId,
        result.TimeZone.Id,
        [.. result.Slots.Select(s => new SlotDocument(BookingDocument.Local(s.Start, result.TimeZone), BookingDocument.Local(s.End, result.TimeZone), s.ResourceIds))]);
}
