namespace RetentionPlatform.Profiles;

/// <summary>Delivers a grain's outbox: publishes the changes and keeps the segment member lists in step.</summary>
public interface IProfileChangeSink
{
    /// <summary>Delivers every change, in order; throws when any could not be delivered (the grain keeps them and tries again).</summary>
    Task DeliverAsync(string tenantId, string customerId, IReadOnlyList<ProfileChange> changes, CancellationToken cancellationToken);
}
