using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.Tests.Model;

/// <summary>Reads a recommendation list the way the tests talk about it: by item id.</summary>
internal static class RecommendationListExtensions
{
    public static IReadOnlyList<string> Ids(this RecommendationList list) => [.. list.Items.Select(r => r.Item.ItemId)];

    /// <summary>The item's position in the list, or -1 when it is not in it.</summary>
    public static int PositionOf(this RecommendationList list, string itemId)
    {
        for (var i = 0; i < list.Items.Count; i++)
        {
            if (list.Items[i].Item.ItemId == itemId)
            {
                return i;
            }
        }

        return -1;
    }

    public static Recommendation Get(this RecommendationList list, string itemId) => list.Items.Single(r => r.Item.ItemId == itemId);
}
