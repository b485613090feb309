using RetentionPlatform.Notifications.Links;

namespace RetentionPlatform.Notifications.Tests.Links;

internal sealed record RecordedLinkCall(string Method, LinkClaims Link, string? Reason = null, int? Score = null, string? Comment = null);
