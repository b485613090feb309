using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace RetentionPlatform.Notifications.Tests.Channels;

/// <summary>A real Kestrel server on 127.0.0.1 that records every POST and answers <c>/status/{code}</c> with that status.</summary>
internal sealed class HttpTestEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private HttpTestEndpoint()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The service's appsettings.json sits in the test output; its Kestrel endpoints are not this server's.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/status/{code:int}", async (int code, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            _requests.Enqueue(new RecordedRequest(
                request.Path,
                request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.ToArray()));
            return code is >= 300 and < 400
                ? Results.Redirect("/status/200")
                : Results.StatusCode(code);
        });
    }

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<HttpTestEndpoint> StartAsync()
    {
        var endpoint = new HttpTestEndpoint();
        await endpoint._app.StartAsync();
        endpoint.BaseAddress = new Uri(endpoint._app.Urls.Single());
        return endpoint;
    }

    public Uri Status(int code) => new(BaseAddress, $"/status/{code}");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One POST the endpoint received.</summary>
internal sealed record RecordedRequest(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body);
