namespace RetentionPlatform.Profiles.Model;

/// <summary>Bounds on every list a profile keeps, so a profile's size does not grow with its history.</summary>
internal static class ProfileLimits
{
    public const int RecentOrders = 24;
    public const int Feedback = 10;
    public const int ContactHistory = 50;
    public const int RecentDecisions = 10;
    public const int RecentlyClosedCases = 20;
    public const int Traits = 100;
    public const int Aliases = 20;
    public const int ExternalIds = 20;

    /// <summary>Touches older than this leave the contact history (the longest budget window that makes sense).</summary>
    public static readonly TimeSpan ContactHistoryAge = TimeSpan.FromDays(90);
}
