namespace RetentionPlatform.Tenancy;

/// <summary>Which service answered, and for which tenant.</summary>
public sealed record ServiceStatus(string Service, string Status, string Tenant);
