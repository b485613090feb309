using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RetentionPlatform.Deployment.Tests;

/// <summary>
/// A minimal OTLP/gRPC receiver standing in for the Aspire dashboard: it keeps the raw protobuf of every export per
/// signal (traces, metrics, logs) and answers each with an empty, successful gRPC response. Nothing is parsed; tests
/// look for bytes (a service instance id, a trace id) in what arrived.
/// With <c>RETENTION_DASHBOARD_OTLP</c> set (for example <c>http://127.0.0.1:4317</c>, a running Aspire dashboard), every
/// export is also passed on to it unchanged, so a developer can watch the multi-process run in the dashboard.
/// </summary>
public sealed class OtlpSink : IAsyncDisposable
{
    public const string Traces = "traces";
    public const string Metrics = "metrics";
    public const string Logs = "logs";

    private static readonly Dictionary<string, string> SignalsByPath = new()
    {
        ["/opentelemetry.proto.collector.trace.v1.TraceService/Export"] = Traces,
        ["/opentelemetry.proto.collector.metrics.v1.MetricsService/Export"] = Metrics,
        ["/opentelemetry.proto.collector.logs.v1.LogsService/Export"] = Logs,
    };

    // An empty export response: not compressed, length 0.
    private static readonly byte[] EmptyMessage = [0, 0, 0, 0, 0];

    /// <summary>The environment variable naming an OTLP/gRPC endpoint that receives a copy of every export.</summary>
    public const string ForwardVariable = "RETENTION_DASHBOARD_OTLP";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> _exports = new();
    private readonly HttpClient? _forward = Environment.GetEnvironmentVariable(ForwardVariable) is { Length: > 0 } dashboard
        ? new HttpClient { BaseAddress = new Uri(dashboard), Timeout = TimeSpan.FromSeconds(5) }
        : null;

    private OtlpSink(WebApplication app) => _app = app;

    /// <summary>Where exporters send to (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Starts the receiver on a loopback port the OS assigns (cleartext HTTP/2).</summary>
    public static async Task<OtlpSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        var sink = new OtlpSink(app);
        foreach (var (path, signal) in SignalsByPath)
        {
            app.MapPost(path, context => sink.ReceiveAsync(signal, context));
        }

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        sink.Endpoint = new Uri(address);
        return sink;
    }

    /// <summary>The protobuf payloads of every export of <paramref name="signal"/> received so far.</summary>
    public IReadOnlyList<byte[]> Exports(string signal) =>
        _exports.TryGetValue(signal, out var exports) ? [.. exports] : [];

    /// <summary>How many exports of each signal arrived (for failure messages).</summary>
    public string Summary() =>
        string.Join(", ", new[] { Traces, Metrics, Logs }.Select(s => $"{s}: {Exports(s).Count}"));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _forward?.Dispose();
    }

    private async Task ReceiveAsync(string signal, HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var compressed = context.Request.Headers["grpc-encoding"].ToString();
        _exports.GetOrAdd(signal, _ => new ConcurrentQueue<byte[]>()).Enqueue(Payload(body.ToArray(), compressed));
        await ForwardAsync(context.Request.Path, body.ToArray(), compressed);

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        await context.Response.Body.WriteAsync(EmptyMessage, context.RequestAborted);
        context.Response.AppendTrailer("grpc-status", "0");
    }

    /// <summary>Passes the export on, as it came, to <see cref="ForwardVariable"/>'s endpoint; a dashboard that is not there is ignored.</summary>
    private async Task ForwardAsync(PathString path, byte[] body, string encoding)
    {
        if (_forward is null)
        {
            return;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, path.Value)
        {
            Content = new ByteArrayContent(body),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (encoding.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }

        try
        {
            using var response = await _forward.SendAsync(request);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // Watching is optional: the tests read what this sink kept.
        }
    }

    /// <summary>The messages of a gRPC request body (each 1 byte compressed flag, 4 bytes big-endian length, payload), joined.</summary>
    private static byte[] Payload(byte[] body, string encoding)
    {
        using var payload = new MemoryStream();
        for (var offset = 0; offset + 5 <= body.Length;)
        {
            var isCompressed = body[offset] == 1;
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(offset + 1, 4));
            var message = body.AsSpan(offset + 5, Math.Min(length, body.Length - offset - 5));
            if (isCompressed && encoding == "gzip")
            {
                using var gzip = new GZipStream(new MemoryStream(message.ToArray()), CompressionMode.Decompress);
                gzip.CopyTo(payload);
            }
            else
            {
                payload.Write(message);
            }

            offset += 5 + length;
        }

        return payload.ToArray();
    }
}
