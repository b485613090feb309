namespace RetentionPlatform.Admin.Model;

/// <summary>A newly issued key: the only answer that ever carries <see cref="Key"/>.</summary>
internal sealed record IssuedKey(string Key, string Prefix, string Name, IReadOnlyList<string> Scopes, RateLimit? RateLimit, DateTimeOffset CreatedAt);
