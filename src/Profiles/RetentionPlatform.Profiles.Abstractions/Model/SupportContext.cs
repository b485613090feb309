namespace RetentionPlatform.Profiles;

/// <summary>Open cases, complaints and feedback: the context that makes a promotion tone-deaf.</summary>
[GenerateSerializer]
[Alias("retention.profiles.SupportContext.v1")]
public sealed class SupportContext
{
    /// <summary>Open cases by case id.</summary>
    [Id(0)] public Dictionary<string, SupportCase> OpenCases { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public DateTimeOffset? LastComplaintAt { get; set; }

    /// <summary>Recent feedback, oldest first (bounded).</summary>
    [Id(2)] public List<FeedbackEntry> Feedback { get; set; } = [];

    [Id(3)] public DateTimeOffset? LastNegativeFeedbackAt { get; set; }

    /// <summary>Cases closed recently, so a late "opened" event does not reopen them (bounded).</summary>
    [Id(4)] public List<string> RecentlyClosed { get; set; } = [];

    /// <summary>The open case in which a person owns this customer (a human was requested), if any.</summary>
    public SupportCase? HumanOwner => OpenCases.Values.FirstOrDefault(c => c.HumanRequested);
}
