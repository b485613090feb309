namespace RetentionPlatform.Notifications.Model;

/// <summary>What a template may say about the customer (from the live profile).</summary>
public sealed record CustomerFacts(string CustomerId, string? FirstName, string? LastName, string? Email, string? Phone);
