namespace RetentionPlatform.Recommendations.Model;

/// <summary>What an event says about an item (null: not said). Applied with <see cref="TenantModel.UpdateItemFromEvent"/>.</summary>
public sealed record ItemAttributes(string ItemId, string? Name, string? Category, decimal? Price, bool? Available)
{
    public bool SaysAnything => Name is not null || Category is not null || Price is not null || Available is not null;

    /// <summary>This event's values where given, else the earlier ones (several events about one item in a batch).</summary>
    public ItemAttributes Over(ItemAttributes earlier) =>
        new(ItemId, Name ?? earlier.Name, Category ?? earlier.Category, Price ?? earlier.Price, Available ?? earlier.Available);
}
