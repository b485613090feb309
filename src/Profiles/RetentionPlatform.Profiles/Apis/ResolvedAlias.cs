namespace RetentionPlatform.Profiles.Apis;

/// <summary>The customer an alias belongs to.</summary>
/// <param name="CustomerId">The canonical customer id.</param>
internal sealed record ResolvedAlias(string CustomerId);
