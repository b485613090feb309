using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.Evaluation;

/// <summary>
/// One line of an events file, reduced to what the recommendation model learns from: who did what to which items
/// and when. Two events are equal when every field is, item ids compared in order.
/// </summary>
/// <param name="EventId">The event's unique id.</param>
/// <param name="Type">The event type (<see cref="ProductViewed"/>, <see cref="CartUpdated"/>, <see cref="OrderPlaced"/> or any other).</param>
/// <param name="CustomerId">The customer the event is about.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ItemIds">The item viewed, or the items in the cart or the order; empty for other events.</param>
/// <param name="Item">The viewed item's category, price and name, when the event carries any of them.</param>
public sealed record CustomerEvent(string EventId, string Type, string CustomerId, DateTimeOffset OccurredAt, IReadOnlyList<string> ItemIds, ItemDetails? Item = null)
{
    public const string ProductViewed = "product_viewed";
    public const string CartUpdated = "cart_updated";
    public const string OrderPlaced = "order_placed";

    /// <summary>What the model learns from an event of this type, or null when it learns nothing.</summary>
    public InteractionKind? Kind => Type switch
    {
        ProductViewed => InteractionKind.View,
        CartUpdated => InteractionKind.Cart,
        OrderPlaced => InteractionKind.Purchase,
        _ => null,
    };

    /// <summary>One interaction per item of the event (none for a type the model ignores).</summary>
    public IEnumerable<Interaction> ToInteractions()
    {
        if (Kind is not { } kind)
        {
            yield break;
        }

        foreach (var itemId in ItemIds)
        {
            yield return new Interaction(CustomerId, itemId, kind, OccurredAt);
        }
    }

    public bool Equals(CustomerEvent? other) =>
        other is not null
        && EventId == other.EventId
        && Type == other.Type
        && CustomerId == other.CustomerId
        && OccurredAt == other.OccurredAt
        && ItemIds.SequenceEqual(other.ItemIds)
        && Item == other.Item;

    public override int GetHashCode() => HashCode.Combine(EventId, Type, CustomerId, OccurredAt, ItemIds.Count, Item);
}
