namespace RetentionPlatform.Recommendations.Model;

/// <summary>What the model keeps about one customer: recent interactions, purchases and the cart.</summary>
internal sealed class CustomerState
{
    /// <summary>Recent interactions, oldest first, at most <see cref="RecommenderOptions.HistoryLength"/>.</summary>
    public List<HistoryEntry> Recent { get; } = [];

    /// <summary>Item and the last time the customer bought it.</summary>
    public Dictionary<int, DateTimeOffset> Purchased { get; } = [];

    public HashSet<int> Cart { get; } = [];
}
