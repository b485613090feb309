namespace RetentionPlatform.Profiles;

/// <summary>The event types of <c>retention.profile-events.v1</c>.</summary>
public static class ProfileChangeTypes
{
    public const string SegmentEntered = "segment_entered";
    public const string SegmentExited = "segment_exited";
    public const string ChurnRiskChanged = "churn_risk_changed";
    public const string HumanRequested = "human_requested";
    public const string HumanResolved = "human_resolved";
    public const string CustomerMerged = "customer_merged";
    public const string CustomerErased = "customer_erased";
}
