namespace RetentionPlatform.Gateway.Idempotency;

/// <summary>A request's hold on a tenant's key; <paramref name="ClaimId"/> proves the hold when completing or releasing it.</summary>
internal sealed record IdempotencyClaim(string Tenant, string Key, byte[] Fingerprint, Guid ClaimId);
