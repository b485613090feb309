namespace RetentionPlatform.Admin.Api;

/// <summary>No answer from the gateway: refused connection, unknown host, TLS failure or timeout.</summary>
internal sealed class GatewayUnreachableException(string message, Exception innerException) : Exception(message, innerException);
