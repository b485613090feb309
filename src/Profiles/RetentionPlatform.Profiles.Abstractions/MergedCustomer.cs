namespace RetentionPlatform.Profiles;

/// <summary>What a customer hands over when it is merged into another.</summary>
/// <param name="Profile">Its profile (null when nothing was known).</param>
/// <param name="RecentEventHashes">Its dedup window, so an event applied to it is not applied again to the canonical customer.</param>
[GenerateSerializer]
[Alias("retention.profiles.MergedCustomer.v1")]
public sealed record MergedCustomer([property: Id(0)] CustomerProfile? Profile, [property: Id(1)] IReadOnlyList<ulong> RecentEventHashes);
