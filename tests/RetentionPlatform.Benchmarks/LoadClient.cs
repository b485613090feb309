using System.Net;
using System.Net.Http.Headers;

namespace RetentionPlatform.Benchmarks;

/// <summary>The load generator's HTTP clients: SocketsHttpHandler, HTTP/1.1 keep-alive, no proxy, cookies or decompression.</summary>
public static class LoadClient
{
    /// <summary>Per-request timeout: far above any sane latency, low enough that a stuck request cannot stall a phase.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A client of <paramref name="baseAddress"/> with up to <paramref name="maxConnections"/> connections.</summary>
    public static HttpClient Create(Uri baseAddress, int maxConnections, string? bearerToken)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        var client = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = baseAddress,
            Timeout = RequestTimeout,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (bearerToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return client;
    }

    /// <summary>The same address with the host replaced by 127.0.0.1 (no name resolution, same family as the ceiling).</summary>
    public static Uri OnIPv4Loopback(Uri address) => new UriBuilder(address) { Host = "127.0.0.1" }.Uri;
}
