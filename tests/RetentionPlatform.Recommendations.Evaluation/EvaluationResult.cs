namespace RetentionPlatform.Recommendations.Evaluation;

/// <summary>The model against the popularity baseline on one time split of an events file.</summary>
/// <param name="Model">The model's figures.</param>
/// <param name="Baseline">The popularity baseline's figures.</param>
/// <param name="K">The length of the lists judged.</param>
/// <param name="SplitAt">Events before this instant trained the model; the rest were the test period.</param>
/// <param name="TrainEvents">Events before the split.</param>
/// <param name="TestEvents">Events from the split on.</param>
/// <param name="CatalogItems">Items known after training (the denominator of coverage).</param>
/// <param name="CustomersEvaluated">Customers with training interactions who bought, in the test period, at least one item new to them.</param>
/// <param name="CustomersWithOnlyRepeatPurchases">Customers with training interactions whose test purchases were all of items they had already interacted with (not scored: nothing to find).</param>
public sealed record EvaluationResult(
    MetricSet Model,
    MetricSet Baseline,
    int K,
    DateTimeOffset SplitAt,
    int TrainEvents,
    int TestEvents,
    int CatalogItems,
    int CustomersEvaluated,
    int CustomersWithOnlyRepeatPurchases)
{
    /// <summary>True when the model is ahead of the baseline on both hit rate and NDCG.</summary>
    public bool ModelBeatsBaseline => Model.HitRate > Baseline.HitRate && Model.Ndcg > Baseline.Ndcg;
}
