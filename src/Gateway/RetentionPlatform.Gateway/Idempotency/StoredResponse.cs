namespace RetentionPlatform.Gateway.Idempotency;

/// <summary>What is replayed for a completed key: status, content type, the replayable headers and the body bytes.</summary>
internal sealed record StoredResponse(
    int StatusCode,
    string? ContentType,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    ReadOnlyMemory<byte> Body);
