namespace RetentionPlatform.Profiles;

/// <summary>One open support case.</summary>
/// <param name="CaseId">The support desk's id (or ours for a human request).</param>
/// <param name="OpenedAt">When it was opened.</param>
/// <param name="Complaint">Whether the customer is complaining (not just asking).</param>
/// <param name="HumanRequested">Opened because the customer asked for a person: marketing automation pauses until it closes.</param>
/// <param name="Reason">What it is about, in the opener's words.</param>
[GenerateSerializer]
[Alias("retention.profiles.SupportCase.v1")]
public sealed record SupportCase(
    [property: Id(0)] string CaseId,
    [property: Id(1)] DateTimeOffset OpenedAt,
    [property: Id(2)] bool Complaint,
    [property: Id(3)] bool HumanRequested,
    [property: Id(4)] string? Reason);
