namespace RetentionPlatform.Profiles;

/// <summary>
/// One customer of one tenant: the live profile and the contact decision. Keyed by <see cref="CustomerGrainKey"/>
/// (tenant and customer), so the same customer id under two tenants is two grains. A customer merged into
/// another forwards every call to the canonical one.
/// </summary>
[Alias("retention.profiles.ICustomerGrain")]
public interface ICustomerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies events in the order given, each at most once by event id (a bounded window of recent ids
    /// survives reactivation), and persists the result before returning. Events for an erased customer are ignored.
    /// </summary>
    [Alias("Apply")]
    Task<ApplyEventsResult> ApplyAsync(IReadOnlyList<CustomerEventData> events);

    /// <summary>The profile, or null when nothing is known about this customer (or it was erased).</summary>
    [Alias("GetProfile")]
    Task<CustomerProfile?> GetProfileAsync();

    /// <summary>Applies a profile update made through the API (traits, consent, preferences) as an event.</summary>
    [Alias("Update")]
    Task<CustomerProfile> UpdateAsync(CustomerEventData change);

    /// <summary>May we contact this person now, this way, for this purpose? Recorded with its reason; an Allow counts as a touch.</summary>
    [Alias("DecideContact")]
    Task<ContactDecision> DecideContactAsync(ContactRequest request);

    /// <summary>Opens a case owned by a person and pauses marketing automation until it is closed; returns the case id.</summary>
    [Alias("RequestHuman")]
    Task<string> RequestHumanAsync(string reason);

    /// <summary>Re-evaluates segments and scores now (after a segment definition changed, or when a time condition comes due).</summary>
    [Alias("Refresh")]
    Task RefreshAsync();

    /// <summary>Absorbs <paramref name="sourceCustomerId"/> into this customer without counting anything twice; later calls for the source land here.</summary>
    [Alias("Merge")]
    Task<CustomerProfile> MergeAsync(string sourceCustomerId);

    /// <summary>
    /// Hands this customer's state to <paramref name="targetCustomerId"/> and becomes a forwarder to it; the state is
    /// kept (and handed over again if the same target asks again) until <see cref="CompleteMergeAsync"/>.
    /// </summary>
    [Alias("MergeInto")]
    Task<MergedCustomer> MergeIntoAsync(string targetCustomerId);

    /// <summary>
    /// Called by the merge target once it has saved the merge: the handed-over state is dropped. Interleaved: the source
    /// may at that moment be waiting on the target itself (forwarding an event to it while the target finishes the
    /// merge), and waiting for each other would hang both until the call timeout. A merged source only forwards, so
    /// dropping its copy cannot interfere with what it is doing.
    /// </summary>
    [Alias("CompleteMerge")]
    [Orleans.Concurrency.AlwaysInterleave]
    Task CompleteMergeAsync();

    /// <summary>Everything held about the customer, as JSON (profile, decisions, dedup window); null when unknown.</summary>
    [Alias("Export")]
    Task<string?> ExportAsync();

    /// <summary>Erases the customer: state gone, a tombstone keeps late events from resurrecting it, an erasure event is published.</summary>
    [Alias("Erase")]
    Task EraseAsync();

    /// <summary>The canonical customer id (this one, or the one it was merged into).</summary>
    [Alias("GetCanonicalId")]
    Task<string> GetCanonicalIdAsync();
}
