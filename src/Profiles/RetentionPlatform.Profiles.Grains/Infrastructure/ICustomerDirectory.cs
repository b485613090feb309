namespace RetentionPlatform.Profiles;

/// <summary>Lists a tenant's known customers, so a new segment definition can be evaluated for all of them.</summary>
public interface ICustomerDirectory
{
    IAsyncEnumerable<string> CustomerIdsAsync(string tenantId, CancellationToken cancellationToken);
}
