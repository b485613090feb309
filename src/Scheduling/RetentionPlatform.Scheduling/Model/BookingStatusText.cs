namespace RetentionPlatform.Scheduling.Model;

/// <summary>How a <see cref="BookingStatus"/> is written in the database, in events and in answers.</summary>
public static class BookingStatusText
{
    public static string Of(BookingStatus status) => status switch
    {
        BookingStatus.Booked => "booked",
        BookingStatus.Cancelled => "cancelled",
        BookingStatus.Completed => "completed",
        _ => "no_show",
    };

    public static BookingStatus Parse(string text) => text switch
    {
        "booked" => BookingStatus.Booked,
        "cancelled" => BookingStatus.Cancelled,
        "completed" => BookingStatus.Completed,
        "no_show" => BookingStatus.NoShow,
        _ => throw new FormatException($"Unknown booking status '{text}'."),
    };
}
