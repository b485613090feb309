namespace RetentionPlatform.Notifications.Apis;

/// <summary>A webhook or provider endpoint in the API; the secret (webhook signing secret, provider token) is write-only.</summary>
internal sealed record EndpointDocument(Uri? Url, string? Secret, bool? HasSecret);
