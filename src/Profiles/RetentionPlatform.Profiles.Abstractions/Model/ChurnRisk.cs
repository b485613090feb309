namespace RetentionPlatform.Profiles;

/// <summary>How likely the customer is to drift away, and why (churn risk v1: transparent rules).</summary>
[GenerateSerializer]
[Alias("retention.profiles.ChurnRisk.v1")]
public sealed class ChurnRisk
{
    /// <summary>0 (no sign) to 100.</summary>
    [Id(0)] public int Score { get; set; }

    /// <summary><c>low</c>, <c>medium</c> or <c>high</c>.</summary>
    [Id(1)] public string Level { get; set; } = "low";

    /// <summary>The signals behind the score, in words, largest first.</summary>
    [Id(2)] public List<string> Reasons { get; set; } = [];

    [Id(3)] public DateTimeOffset? EvaluatedAt { get; set; }
}
