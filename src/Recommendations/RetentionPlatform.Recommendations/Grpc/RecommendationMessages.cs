using Google.Protobuf.WellKnownTypes;
using RetentionPlatform.Recommendations.Model;
using V1 = RetentionPlatform.Contracts.Recommendations.V1;

namespace RetentionPlatform.Recommendations.Grpc;

/// <summary>Conversions between the model and the gRPC messages.</summary>
internal static class RecommendationMessages
{
    public static V1.RecommendationList ToMessage(this RecommendationList list)
    {
        var message = new V1.RecommendationList { ColdStart = list.ColdStart };
        foreach (var recommendation in list.Items)
        {
            message.Items.Add(new V1.Recommendation
            {
                Item = recommendation.Item.ToMessage(),
                Score = recommendation.Score,
                Reason = new V1.Reason
                {
                    Kind = (V1.ReasonKind)recommendation.Reason.Kind,
                    Text = recommendation.Reason.Text,
                    RelatedItemId = recommendation.Reason.RelatedItemId ?? "",
                    Category = recommendation.Reason.Category ?? "",
                },
            });
        }

        return message;
    }

    public static V1.CatalogItem ToMessage(this CatalogItem item)
    {
        var message = new V1.CatalogItem
        {
            ItemId = item.ItemId,
            Name = item.Name ?? "",
            Category = item.Category,
            Available = item.Available,
            Hidden = item.Hidden,
            CreatedAt = Timestamp.FromDateTimeOffset(item.CreatedAt),
        };
        if (item.Price is { } price)
        {
            message.Price = (double)price;
        }

        return message;
    }

    /// <summary>A catalog item from a request, or the problems with it keyed by field (<c>items[i].field</c>).</summary>
    public static CatalogItem? ToCatalogItem(this V1.CatalogItem message, string prefix, IDictionary<string, string[]> errors, DateTimeOffset now)
    {
        var before = errors.Count;
        Check(errors, prefix + "item_id", CatalogItemInput.ValidateItemId(message.ItemId));
        Check(errors, prefix + "name", message.Name.Length == 0 ? null : CatalogItemInput.ValidateName(message.Name));
        Check(errors, prefix + "category", message.Category.Length == 0 ? null : CatalogItemInput.ValidateCategory(message.Category));
        var (price, priceProblem) = CatalogItemInput.PriceFrom(message.HasPrice ? message.Price : null);
        Check(errors, prefix + "price", priceProblem);
        return errors.Count > before
            ? null
            : new CatalogItem(
                message.ItemId,
                message.Name.Length == 0 ? null : message.Name,
                message.Category.Length == 0 ? CatalogItem.Uncategorised : message.Category,
                price,
                !message.HasAvailable || message.Available,
                message.Hidden,
                now);
    }

    /// <summary>The filter's price range, or the problems with it.</summary>
    public static (decimal? Min, decimal? Max) PriceRange(this V1.ItemFilter? filter, IDictionary<string, string[]> errors)
    {
        if (filter is null)
        {
            return (null, null);
        }

        var (min, minProblem) = CatalogItemInput.PriceFrom(filter.HasMinPrice ? filter.MinPrice : null);
        var (max, maxProblem) = CatalogItemInput.PriceFrom(filter.HasMaxPrice ? filter.MaxPrice : null);
        Check(errors, "filter.min_price", minProblem);
        Check(errors, "filter.max_price", maxProblem);
        return (min, max);
    }

    private static void Check(IDictionary<string, string[]> errors, string field, string? problem)
    {
        if (problem is not null)
        {
            errors[field] = [problem];
        }
    }
}
