namespace RetentionPlatform.Recommendations.Model;

/// <summary>Why an item was recommended.</summary>
public enum ReasonKind
{
    BoughtTogether = 1,
    ViewedTogether = 2,
    PopularInCategory = 3,
    Trending = 4,
    Popular = 5,
    New = 6,
}
