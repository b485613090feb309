namespace RetentionPlatform.Profiles;

/// <summary>
/// One customer of one tenant: the live profile. Keyed by <see cref="CustomerGrainKey"/> (tenant and
/// customer), so the same customer id under two tenants is two grains.
/// </summary>
[Alias("retention.profiles.ICustomerGrain")]
public interface ICustomerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies events in the order given, each at most once by event id (a bounded window of recent ids
    /// survives reactivation), and persists the result before returning.
    /// </summary>
    [Alias("Apply")]
    Task<ApplyEventsResult> ApplyAsync(IReadOnlyList<CustomerEventData> events);

    /// <summary>The profile, or null when no event has been applied to this customer.</summary>
    [Alias("GetProfile")]
    Task<CustomerProfileView?> GetProfileAsync();
}
