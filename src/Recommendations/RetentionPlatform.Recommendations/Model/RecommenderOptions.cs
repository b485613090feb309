namespace RetentionPlatform.Recommendations.Model;

/// <summary>The model's tuning (section <c>Recommendations:Model</c>). The defaults suit a small shop.</summary>
public sealed class RecommenderOptions
{
    public const string SectionName = "Recommendations:Model";

    /// <summary>Half-life of popularity and of co-occurrence: a signal this old counts half.</summary>
    public TimeSpan HalfLife { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Half-life of the short-term popularity that "trending" compares against the long-term one.</summary>
    public TimeSpan TrendingHalfLife { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How many recent interactions are kept per customer.</summary>
    public int HistoryLength { get; set; } = 50;

    /// <summary>A new interaction is paired with at most this many of the customer's previous distinct items.</summary>
    public int PairWindow { get; set; } = 20;

    /// <summary>Interactions further apart than this are not paired.</summary>
    public TimeSpan PairMaxGap { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How many neighbours each item keeps (the strongest).</summary>
    public int MaxNeighbours { get; set; } = 64;

    /// <summary>An item bought within this period is not recommended to the same customer again.</summary>
    public TimeSpan RepurchaseExclusion { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Half-life of a customer's interest in what they looked at, when ranking for them.</summary>
    public TimeSpan InterestHalfLife { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Co-occurrence damping: pairs seen rarely count less (co / (co + shrinkage)).</summary>
    public double Shrinkage { get; set; } = 2;

    /// <summary>Interactions older than this have decayed to nothing: they are deleted and not replayed at start.</summary>
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromDays(180);

    /// <summary>
    /// A pair must have been seen at least this strongly (weighted: a view 1, a cart add 2, a purchase 4; decayed) to
    /// suggest anything: one customer's stray clicks are not a reason, and popular items do better than a guess.
    /// </summary>
    public double MinimumEvidence { get; set; } = 2;

    /// <summary>
    /// A suggestion from co-occurrence scoring below this share of the customer's best one is weak evidence: the rest of
    /// the list goes to what is popular in their categories and overall, which predicts better than a long tail of guesses.
    /// </summary>
    public double RelativeCut { get; set; } = 0.3;

    /// <summary>
    /// At most this share of a customer's list comes from co-occurrence ahead of popular items; the rest goes first to
    /// what is popular in their categories and overall (the offline evaluation on the planted data set scores best so).
    /// </summary>
    public double PersonalShare { get; set; } = 0.6;

    /// <summary>Each further item of a category already in the list has its score multiplied by this (diversity).</summary>
    public double CategoryPenalty { get; set; } = 0.6;
}
