namespace RetentionPlatform.Notifications.Model;

/// <summary>One recommended item as templates see it (<c>{{#each recommendations}}{{name}}{{/each}}</c>).</summary>
public sealed record RecommendedItem(string ItemId, string Name, string? Category, string? Price, Uri? Url);
