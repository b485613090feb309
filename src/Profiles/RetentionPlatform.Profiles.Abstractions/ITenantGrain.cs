namespace RetentionPlatform.Profiles;

/// <summary>One tenant's profile settings (contact policy, segment definitions). Keyed by the tenant id.</summary>
[Alias("retention.profiles.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    [Alias("GetConfiguration")]
    Task<TenantConfiguration> GetConfigurationAsync();

    /// <summary>Replaces the contact policy; customers' decisions use it within seconds on every silo.</summary>
    [Alias("SetContactPolicy")]
    Task<TenantConfiguration> SetContactPolicyAsync(ContactPolicy policy);

    /// <summary>Creates or replaces a segment (validated by the caller); returns true when it was new.</summary>
    [Alias("DefineSegment")]
    Task<bool> DefineSegmentAsync(SegmentDefinition segment);

    /// <summary>Removes a segment; returns false when there was none by that id.</summary>
    [Alias("DeleteSegment")]
    Task<bool> DeleteSegmentAsync(string segmentId);
}
