namespace RetentionPlatform.EventBus;

/// <summary>
/// Thrown by a handler for an event that can never succeed (malformed, unknown schema): the consumer
/// dead-letters it at once instead of retrying.
/// </summary>
public sealed class PermanentEventException(string message, Exception? innerException = null) : Exception(message, innerException);
