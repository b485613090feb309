using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Scheduling.Benchmarks;

/// <summary>
/// Calls the service's REST API as the gateway does: cleartext HTTP/2 (prior knowledge, one connection, requests
/// multiplexed), the tenant header and the gateway's signature of it on every request.
/// </summary>
internal sealed class TenantClient : IDisposable
{
    /// <summary>Signatures are valid for <see cref="GatewayTrust.MaxAge"/>; this one is renewed well before.</summary>
    private static readonly TimeSpan SignatureRenewal = TimeSpan.FromMinutes(1);

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly GatewayTrust _trust;
    private readonly string _tenant;
    private (string Value, long Timestamp) _signature;

    public TenantClient(Uri address, string gatewaySecret, string tenant)
    {
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };
        _trust = new GatewayTrust(gatewaySecret);
        _tenant = tenant;
        _signature = (_trust.Sign(tenant), Stopwatch.GetTimestamp());
    }

    /// <summary>Sends a request and reads the whole answer; the body is returned only when <paramref name="keepBody"/>.</summary>
    public async Task<(HttpStatusCode Status, string? Body)> SendAsync(HttpMethod method, string path, string? json = null, bool keepBody = false)
    {
        using var request = Request(method, path, json);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        return (response.StatusCode, keepBody ? await response.Content.ReadAsStringAsync() : null);
    }

    /// <summary>
    /// Sends a request and streams the answer through a pooled buffer (large answers would otherwise land on the large
    /// object heap of the process the service shares); counts the answer's bytes and occurrences of <paramref name="marker"/>.
    /// </summary>
    public async Task<(HttpStatusCode Status, int Bytes, int Markers)> SendCountingAsync(HttpMethod method, string path, byte[] marker)
    {
        using var request = Request(method, path, null);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int bytes = 0, markers = 0, carried = 0, read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(carried))) > 0)
            {
                bytes += read;
                var span = buffer.AsSpan(0, carried + read);
                markers += span.Count(marker.AsSpan());
                // Keep the tail that could be the start of a marker split across two reads.
                carried = Math.Min(marker.Length - 1, span.Length);
                span[^carried..].CopyTo(buffer);
            }

            return (response.StatusCode, bytes, markers);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage Request(HttpMethod method, string path, string? json)
    {
        // A message built here does not take the client's default version: HTTP/2 is asked for on each.
        var request = new HttpRequestMessage(method, path) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Add(TenantHeaders.Tenant, _tenant);
        request.Headers.Add(TenantHeaders.GatewaySignature, Signature());
        if (json is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) { Headers = { ContentType = Json } };
        }

        return request;
    }

    private string Signature()
    {
        var current = _signature;
        if (Stopwatch.GetElapsedTime(current.Timestamp) < SignatureRenewal)
        {
            return current.Value;
        }

        _signature = current = (_trust.Sign(_tenant), Stopwatch.GetTimestamp());
        return current.Value;
    }
}
