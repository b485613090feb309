namespace RetentionPlatform.Profiles;

/// <summary>
/// One alias (<c>email:...</c>, <c>phone:...</c>, <c>id:...</c>) of one tenant and the canonical customer it
/// resolves to. Keyed <c>tenant/alias</c> (see <see cref="CustomerAliases"/>).
/// </summary>
[Alias("retention.profiles.ICustomerAliasGrain")]
public interface ICustomerAliasGrain : IGrainWithStringKey
{
    /// <summary>Points the alias at <paramref name="customerId"/> unless another customer holds it; returns the holder.</summary>
    [Alias("Claim")]
    Task<string> ClaimAsync(string customerId);

    /// <summary>The customer the alias resolves to, or null.</summary>
    [Alias("Resolve")]
    Task<string?> ResolveAsync();

    /// <summary>Points the alias at <paramref name="customerId"/> whoever held it (after a merge).</summary>
    [Alias("Assign")]
    Task AssignAsync(string customerId);

    /// <summary>Forgets the alias if <paramref name="customerId"/> holds it (after an erasure).</summary>
    [Alias("Release")]
    Task ReleaseAsync(string customerId);
}
