namespace RetentionPlatform.Admin.Commands;

/// <summary>A command line that parsed but makes no sense (an unknown scope, a rate without a burst, no operator key).</summary>
internal sealed class UsageException(string message) : Exception(message);
