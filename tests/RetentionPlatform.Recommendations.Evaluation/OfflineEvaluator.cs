using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.Evaluation;

/// <summary>
/// Judges the recommendation model offline: trains a <see cref="TenantModel"/> on the events before a point in time,
/// asks it for each customer's top <see cref="K"/> at that time, and scores the lists against what each customer then
/// bought, next to a popularity baseline scored the same way.
/// <para>
/// The model never recommends what a customer already interacted with, so both are judged only on items new to the
/// customer: the relevant items are those bought in the test period that the customer had not viewed, carted or
/// bought in training, and the baseline's list leaves out the customer's training items as the model's does.
/// </para>
/// </summary>
public sealed class OfflineEvaluator(RecommenderOptions options)
{
    public const int K = 10;
    public const double DefaultSplit = 0.8;

    public OfflineEvaluator() : this(new RecommenderOptions())
    {
    }

    /// <summary>Splits at the time of the event at <paramref name="split"/> of the events in time order (0.8: the 80% mark).</summary>
    public EvaluationResult Evaluate(IReadOnlyList<CustomerEvent> events, double split = DefaultSplit)
    {
        if (events.Count == 0)
        {
            throw new ArgumentException("There are no events to evaluate on.", nameof(events));
        }

        if (split is <= 0 or >= 1 || double.IsNaN(split))
        {
            throw new ArgumentOutOfRangeException(nameof(split), split, "The split is the share of events to train on, between 0 and 1 (exclusive).");
        }

        var ordered = events.OrderBy(e => e.OccurredAt).ToList();
        var index = Math.Min((int)(split * ordered.Count), ordered.Count - 1);
        return Evaluate(ordered, ordered[index].OccurredAt);
    }

    /// <summary>Trains on the events before <paramref name="splitAt"/> and tests on the rest.</summary>
    public EvaluationResult Evaluate(IReadOnlyList<CustomerEvent> events, DateTimeOffset splitAt)
    {
        var ordered = events.OrderBy(e => e.OccurredAt).ToList();
        var train = ordered.Where(e => e.OccurredAt < splitAt).ToList();
        var test = ordered.Where(e => e.OccurredAt >= splitAt).ToList();

        var model = Train(train);
        var trained = ItemsByCustomer(train.Where(e => e.Kind is not null));
        var bought = ItemsByCustomer(test.Where(e => e.Kind == InteractionKind.Purchase));
        var popular = model.Popular(new RecommendationQuery(Limit: Math.Max(K, model.ItemCount)), splitAt).Items
            .Select(r => r.Item.ItemId)
            .ToList();

        var modelScores = new Scores();
        var baselineScores = new Scores();
        var repeatOnly = 0;
        foreach (var customerId in bought.Keys.Where(trained.ContainsKey).Order(StringComparer.Ordinal))
        {
            var seen = trained[customerId];
            var relevant = bought[customerId].Where(i => !seen.Contains(i)).ToHashSet(StringComparer.Ordinal);
            if (relevant.Count == 0)
            {
                repeatOnly++;
                continue;
            }

            var recommended = model.RecommendForCustomer(customerId, new RecommendationQuery(Limit: K), splitAt).Items
                .Select(r => r.Item.ItemId)
                .ToList();
            var baseline = popular.Where(i => !seen.Contains(i)).Take(K).ToList();
            modelScores.Add(recommended, relevant);
            baselineScores.Add(baseline, relevant);
        }

        return new EvaluationResult(
            modelScores.ToMetrics(model.ItemCount),
            baselineScores.ToMetrics(model.ItemCount),
            K,
            splitAt,
            train.Count,
            test.Count,
            model.ItemCount,
            modelScores.Customers,
            repeatOnly);
    }

    /// <summary>
    /// A model that has learned from <paramref name="train"/> (in time order): first the catalog, from what the views
    /// say about their items, then every interaction.
    /// </summary>
    public TenantModel Train(IReadOnlyList<CustomerEvent> train)
    {
        var model = new TenantModel(options);
        foreach (var item in Catalog(train))
        {
            model.UpsertItem(item);
        }

        model.Apply([.. train.SelectMany(e => e.ToInteractions())]);
        return model;
    }

    /// <summary>
    /// The catalog the events describe: each item with an attribute in some event, its latest value of each attribute,
    /// known from its first event.
    /// </summary>
    public static IReadOnlyList<CatalogItem> Catalog(IEnumerable<CustomerEvent> events)
    {
        var items = new Dictionary<string, CatalogItem>(StringComparer.Ordinal);
        foreach (var @event in events)
        {
            if (@event.Item is not { } attributes)
            {
                continue;
            }

            foreach (var itemId in @event.ItemIds)
            {
                items[itemId] = items.TryGetValue(itemId, out var known)
                    ? known with
                    {
                        Name = attributes.Name ?? known.Name,
                        Category = attributes.Category ?? known.Category,
                        Price = attributes.Price ?? known.Price,
                    }
                    : new CatalogItem(itemId, attributes.Name, attributes.Category ?? CatalogItem.Uncategorised, attributes.Price, Available: true, Hidden: false, @event.OccurredAt);
            }
        }

        return [.. items.Values];
    }

    private static Dictionary<string, HashSet<string>> ItemsByCustomer(IEnumerable<CustomerEvent> events)
    {
        var items = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var @event in events)
        {
            if (@event.ItemIds.Count == 0)
            {
                continue;
            }

            if (!items.TryGetValue(@event.CustomerId, out var set))
            {
                items[@event.CustomerId] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.UnionWith(@event.ItemIds);
        }

        return items;
    }

    private sealed class Scores
    {
        private readonly HashSet<string> _recommended = new(StringComparer.Ordinal);
        private double _hits;
        private double _ndcg;

        public int Customers { get; private set; }

        public void Add(IReadOnlyList<string> ranked, IReadOnlySet<string> relevant)
        {
            Customers++;
            _hits += RankingMetrics.HitRate(ranked, relevant, K);
            _ndcg += RankingMetrics.Ndcg(ranked, relevant, K);
            _recommended.UnionWith(ranked.Take(K));
        }

        public MetricSet ToMetrics(int catalogItems) => Customers == 0
            ? new MetricSet(0, 0, 0)
            : new MetricSet(_hits / Customers, _ndcg / Customers, RankingMetrics.Coverage(_recommended.Count, catalogItems));
    }
}
