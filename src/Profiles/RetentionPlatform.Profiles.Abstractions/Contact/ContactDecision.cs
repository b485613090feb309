namespace RetentionPlatform.Profiles;

/// <summary>A contact decision with the rule that made it.</summary>
/// <param name="Outcome">Allow, Defer or Deny.</param>
/// <param name="Reason">A stable code of the deciding rule (see <see cref="ContactReasons"/>).</param>
/// <param name="Detail">The same in words, for people reading logs and the profile.</param>
/// <param name="DeferUntil">For <see cref="ContactOutcome.Defer"/>: the earliest moment to ask again.</param>
/// <param name="DecidedAt">When the decision was made.</param>
/// <param name="Channel">The channel asked about.</param>
/// <param name="Purpose">The purpose asked about.</param>
/// <param name="Kind">Who asked.</param>
[GenerateSerializer]
[Alias("retention.profiles.ContactDecision.v1")]
public sealed record ContactDecision(
    [property: Id(0)] ContactOutcome Outcome,
    [property: Id(1)] string Reason,
    [property: Id(2)] string Detail,
    [property: Id(3)] DateTimeOffset? DeferUntil,
    [property: Id(4)] DateTimeOffset DecidedAt,
    [property: Id(5)] ContactChannel Channel,
    [property: Id(6)] ContactPurpose Purpose,
    [property: Id(7)] string Kind);
