namespace RetentionPlatform.Recommendations.Evaluation;

/// <summary>Top-k ranking metrics for one ranked list against the set of items that were relevant (binary relevance).</summary>
public static class RankingMetrics
{
    /// <summary>1 when any of the first <paramref name="k"/> items is relevant, else 0 (averaged over customers: the hit rate).</summary>
    public static double HitRate(IReadOnlyList<string> ranked, IReadOnlySet<string> relevant, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        for (var i = 0; i < Math.Min(k, ranked.Count); i++)
        {
            if (relevant.Contains(ranked[i]))
            {
                return 1;
            }
        }

        return 0;
    }

    /// <summary>
    /// Normalised discounted cumulative gain at <paramref name="k"/>: each relevant item at position i (from 0) gains
    /// 1 / log2(i + 2), divided by the gain of an ideal list (the relevant items first, up to k of them). An item
    /// listed twice gains once; 0 when nothing is relevant.
    /// </summary>
    public static double Ndcg(IReadOnlyList<string> ranked, IReadOnlySet<string> relevant, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        if (relevant.Count == 0)
        {
            return 0;
        }

        var gained = new HashSet<string>(StringComparer.Ordinal);
        var dcg = 0.0;
        for (var i = 0; i < Math.Min(k, ranked.Count); i++)
        {
            if (relevant.Contains(ranked[i]) && gained.Add(ranked[i]))
            {
                dcg += Discount(i);
            }
        }

        var ideal = 0.0;
        for (var i = 0; i < Math.Min(k, relevant.Count); i++)
        {
            ideal += Discount(i);
        }

        return dcg / ideal;
    }

    /// <summary>The share of the catalog that appeared in at least one list.</summary>
    public static double Coverage(int distinctRecommended, int catalogItems) =>
        catalogItems == 0 ? 0 : (double)distinctRecommended / catalogItems;

    private static double Discount(int position) => 1 / Math.Log2(position + 2);
}
