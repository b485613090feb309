namespace RetentionPlatform.Recommendations.Model;

/// <summary>One item inside a tenant's model: its catalog data and its learned signals.</summary>
internal sealed class ItemState(string id, DateTimeOffset createdAt)
{
    public string Id { get; } = id;

    public string? Name { get; set; }

    public int Category { get; set; }

    public decimal? Price { get; set; }

    public bool Available { get; set; } = true;

    public bool Hidden { get; set; }

    /// <summary>Deleted from the catalog: kept only so indexes stay stable; never returned.</summary>
    public bool Removed { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = createdAt;

    /// <summary>Weighted interactions, scaled by the long decay clock (comparable across items at any time).</summary>
    public double Popularity { get; set; }

    /// <summary>Weighted interactions, scaled by the short (trending) decay clock.</summary>
    public double RecentPopularity { get; set; }

    /// <summary>Co-occurring items and the pair's strength, scaled by the long decay clock.</summary>
    public Dictionary<int, PairStrength>? Neighbours { get; set; }

    public bool IsRecommendable => Available && !Hidden && !Removed;

    /// <summary>What a reason calls the item: its name, or its id when it has none.</summary>
    public string DisplayName => string.IsNullOrEmpty(Name) ? Id : Name;
}
