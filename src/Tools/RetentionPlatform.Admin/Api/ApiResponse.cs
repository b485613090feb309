namespace RetentionPlatform.Admin.Api;

/// <summary>A successful answer: what it says, and the JSON exactly as the gateway sent it (for <c>--json</c>).</summary>
internal sealed record ApiResponse<T>(T Value, string Json);
