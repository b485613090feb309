namespace RetentionPlatform.Benchmarks;

/// <summary>How the gateway benchmark reaches a service.</summary>
public enum GatewayPath
{
    /// <summary>Straight to the service's HTTP/1.1 endpoint, with the tenant and signature the gateway would add.</summary>
    Direct,

    /// <summary>Through the gateway with an API key: authentication, rate limiting, the proxy hop over HTTP/2.</summary>
    Gateway,
}
