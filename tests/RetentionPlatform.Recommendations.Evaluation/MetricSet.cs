namespace RetentionPlatform.Recommendations.Evaluation;

/// <summary>One recommender's figures over the evaluated customers.</summary>
/// <param name="HitRate">Share of customers with at least one relevant item in their top k.</param>
/// <param name="Ndcg">Mean NDCG@k (binary relevance).</param>
/// <param name="Coverage">Distinct recommended items over catalog items.</param>
public sealed record MetricSet(double HitRate, double Ndcg, double Coverage);
