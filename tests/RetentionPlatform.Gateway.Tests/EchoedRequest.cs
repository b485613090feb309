namespace RetentionPlatform.Gateway.Tests;

/// <summary>What the echo backend saw of a proxied request.</summary>
public sealed record EchoedRequest(string Protocol, Dictionary<string, string> Headers);
