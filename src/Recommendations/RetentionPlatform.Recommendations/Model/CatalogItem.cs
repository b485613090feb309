namespace RetentionPlatform.Recommendations.Model;

/// <summary>An item of a tenant's catalog.</summary>
/// <param name="ItemId">The tenant's own id (SKU).</param>
/// <param name="Name">Shown in reasons; null when unknown (the id is shown instead).</param>
/// <param name="Category">The item's category (<see cref="Uncategorised"/> when never given).</param>
/// <param name="Price">The price in the tenant's currency, when known.</param>
/// <param name="Available">False while out of stock: never recommended then.</param>
/// <param name="Hidden">Kept out of every recommendation.</param>
/// <param name="CreatedAt">When the item was first known.</param>
public sealed record CatalogItem(string ItemId, string? Name, string Category, decimal? Price, bool Available, bool Hidden, DateTimeOffset CreatedAt)
{
    public const string Uncategorised = "uncategorised";
}
