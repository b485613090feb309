namespace RetentionPlatform.Profiles;

/// <summary>The customer's appointments.</summary>
[GenerateSerializer]
[Alias("retention.profiles.AppointmentStats.v1")]
public sealed class AppointmentStats
{
    /// <summary>Booked appointments that have not happened, by appointment id, with their start.</summary>
    [Id(0)] public Dictionary<string, DateTimeOffset> Upcoming { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public int Completed { get; set; }

    [Id(2)] public int NoShows { get; set; }

    [Id(3)] public int Cancelled { get; set; }

    [Id(4)] public DateTimeOffset? LastVisitAt { get; set; }

    [Id(5)] public DateTimeOffset? LastNoShowAt { get; set; }

    /// <summary>The next booked appointment's start, if any.</summary>
    public DateTimeOffset? Next => Upcoming.Count == 0 ? null : Upcoming.Values.Min();
}
