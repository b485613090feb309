namespace RetentionPlatform.Notifications.Channels;

/// <summary>A tenant's endpoint leads only to addresses the platform may not connect to (see <see cref="EgressGuard"/>).</summary>
public sealed class EgressRefusedException(string message) : Exception(message);
