namespace RetentionPlatform.Scheduling.Model;

/// <summary>Part of a working day as wall-clock minutes after local midnight (0-1440; 1440 is the end of the day).</summary>
public sealed record WorkingInterval(int StartMinute, int EndMinute)
{
    public const int EndOfDay = 24 * 60;
}
