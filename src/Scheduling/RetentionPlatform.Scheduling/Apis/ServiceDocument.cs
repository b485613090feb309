using RetentionPlatform.Scheduling.Model;

namespace RetentionPlatform.Scheduling.Apis;

/// <summary>A service as answered: durations as ISO 8601.</summary>
public sealed record ServiceDocument(
    string ServiceId,
    string Name,
    string Duration,
    string BufferBefore,
    string BufferAfter,
    IReadOnlyList<string> ResourceIds,
    decimal? Price,
    string? Currency,
    string MinimumNotice,
    string BookingHorizon,
    string CancellationCutoff,
    string RescheduleCutoff,
    string SlotStep,
    IReadOnlyList<string> ReminderOffsets)
{
    public static ServiceDocument From(ServiceDefinition s) => new(
        s.ServiceId, s.Name, IsoDuration.Format(s.Duration), IsoDuration.Format(s.BufferBefore), IsoDuration.Format(s.BufferAfter), s.ResourceIds,
        s.Price, s.Currency, IsoDuration.Format(s.Policy.MinimumNotice), IsoDuration.Format(s.Policy.BookingHorizon),
        IsoDuration.Format(s.Policy.CancellationCutoff), IsoDuration.Format(s.Policy.RescheduleCutoff), IsoDuration.Format(s.Policy.SlotStep),
        [.. s.Policy.ReminderOffsets.Select(IsoDuration.Format)]);
}
