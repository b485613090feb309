using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.Tests.Model;

/// <summary>
/// Arranges one tenant's model in a few lines (catalog items, interactions by one or many customers) and queries
/// it at a fixed time, so no test reads the clock.
/// </summary>
internal sealed class ModelBuilder(TenantModel tenant)
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Yesterday = Now.AddDays(-1);

    public ModelBuilder(RecommenderOptions? options = null)
        : this(new TenantModel(options ?? new RecommenderOptions()))
    {
    }

    public TenantModel Tenant { get; } = tenant;

    public ModelBuilder Item(string id, string category = "general", decimal? price = 10m, string? name = null, bool available = true, bool hidden = false, DateTimeOffset? createdAt = null)
    {
        Tenant.UpsertItem(new CatalogItem(id, name, category, price, available, hidden, createdAt ?? Now.AddDays(-365)));
        return this;
    }

    /// <summary>One customer does <paramref name="kind"/> with each item in turn, a second apart.</summary>
    public ModelBuilder Did(string customer, InteractionKind kind, DateTimeOffset at, params string[] items)
    {
        for (var i = 0; i < items.Length; i++)
        {
            Tenant.Apply(new Interaction(customer, items[i], kind, at.AddSeconds(i)));
        }

        return this;
    }

    public ModelBuilder Bought(string customer, DateTimeOffset at, params string[] items) => Did(customer, InteractionKind.Purchase, at, items);

    public ModelBuilder Viewed(string customer, DateTimeOffset at, params string[] items) => Did(customer, InteractionKind.View, at, items);

    /// <summary><paramref name="count"/> different customers ("<paramref name="group"/>-n") each do <paramref name="kind"/> with every item.</summary>
    public ModelBuilder Many(int count, string group, InteractionKind kind, DateTimeOffset at, params string[] items)
    {
        for (var n = 0; n < count; n++)
        {
            Did($"{group}-{n}", kind, at.AddMinutes(n), items);
        }

        return this;
    }

    public ModelBuilder BoughtByMany(int count, string group, DateTimeOffset at, params string[] items) => Many(count, group, InteractionKind.Purchase, at, items);

    public ModelBuilder ViewedByMany(int count, string group, DateTimeOffset at, params string[] items) => Many(count, group, InteractionKind.View, at, items);

    public RecommendationList For(string customer, RecommendationQuery? query = null, DateTimeOffset? now = null) =>
        Tenant.RecommendForCustomer(customer, query ?? new RecommendationQuery(), now ?? Now);

    public RecommendationList? Similar(string itemId, RecommendationQuery? query = null, DateTimeOffset? now = null) =>
        Tenant.SimilarItems(itemId, query ?? new RecommendationQuery(), now ?? Now);

    public RecommendationList Popular(RecommendationQuery? query = null, DateTimeOffset? now = null) =>
        Tenant.Popular(query ?? new RecommendationQuery(), now ?? Now);
}
