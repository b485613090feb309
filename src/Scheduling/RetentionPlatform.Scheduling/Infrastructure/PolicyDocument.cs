using NodaTime;
using RetentionPlatform.Scheduling.Model;

namespace RetentionPlatform.Scheduling.Infrastructure;

/// <summary>A service's <see cref="BookingPolicy"/> as stored: durations as ISO 8601 text.</summary>
internal sealed record PolicyDocument(
    string MinimumNotice,
    string BookingHorizon,
    string CancellationCutoff,
    string RescheduleCutoff,
    string SlotStep,
    string[] ReminderOffsets)
{
    public static PolicyDocument From(BookingPolicy policy) => new(
        IsoDuration.Format(policy.MinimumNotice),
        IsoDuration.Format(policy.BookingHorizon),
        IsoDuration.Format(policy.CancellationCutoff),
        IsoDuration.Format(policy.RescheduleCutoff),
        IsoDuration.Format(policy.SlotStep),
        [.. policy.ReminderOffsets.Select(IsoDuration.Format)]);

    public BookingPolicy ToPolicy() => new(
        Read(MinimumNotice),
        Read(BookingHorizon),
        Read(CancellationCutoff),
        Read(RescheduleCutoff),
        Read(SlotStep),
        [.. ReminderOffsets.Select(Read)]);

    private static Duration Read(string text) => IsoDuration.Parse(text) ?? Duration.Zero;
}
