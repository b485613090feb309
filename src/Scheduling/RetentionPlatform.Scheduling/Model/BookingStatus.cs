namespace RetentionPlatform.Scheduling.Model;

/// <summary>Where an appointment stands. Only a <see cref="Booked"/> appointment holds its resource.</summary>
public enum BookingStatus
{
    Booked,
    Cancelled,
    Completed,
    NoShow,
}
