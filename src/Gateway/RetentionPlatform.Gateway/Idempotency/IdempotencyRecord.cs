namespace RetentionPlatform.Gateway.Idempotency;

/// <summary>A key's row as found when it could not be claimed: still in progress, or completed with its <see cref="Response"/>.</summary>
internal sealed record IdempotencyRecord(byte[] Fingerprint, StoredResponse? Response);
