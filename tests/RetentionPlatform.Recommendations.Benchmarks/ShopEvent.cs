using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.Benchmarks;

/// <summary>
/// One generated customer event: a view of one item, a cart update (<paramref name="Items"/> is the whole cart,
/// <paramref name="Added"/> the item just put in it) or an order (<paramref name="Items"/> the items bought).
/// </summary>
internal sealed record ShopEvent(string EventId, int Customer, InteractionKind Kind, int[] Items, int Added, DateTimeOffset At)
{
    /// <summary>The items the model learns an interaction with: the viewed item, the one added to the cart, or every item bought.</summary>
    public ReadOnlySpan<int> InteractionItems => Kind == InteractionKind.Cart ? Items.AsSpan(Array.IndexOf(Items, Added), 1) : Items;
}
