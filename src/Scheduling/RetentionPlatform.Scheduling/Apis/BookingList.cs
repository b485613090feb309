namespace RetentionPlatform.Scheduling.Apis;

/// <summary>A list of bookings.</summary>
public sealed record BookingList(IReadOnlyList<BookingDocument> Bookings);
