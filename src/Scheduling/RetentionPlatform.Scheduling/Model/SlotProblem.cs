namespace RetentionPlatform.Scheduling.Model;

/// <summary>Why a start time cannot be booked, before the database is even asked.</summary>
public enum SlotProblem
{
    None,
    InThePast,
    TooSoon,
    TooFarAhead,
    OutsideWorkingHours,
    Closed,
    ResourceAway,
}
