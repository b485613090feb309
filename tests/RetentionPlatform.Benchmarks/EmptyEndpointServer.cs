using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace RetentionPlatform.Benchmarks;

/// <summary>
/// The machine's ceiling: a minimal Kestrel application on 127.0.0.1 (random port) whose
/// <c>POST /v1/events</c> reads and parses the JSON body, then answers 202 with nothing else.
/// </summary>
public sealed class EmptyEndpointServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmptyEndpointServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<EmptyEndpointServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "RetentionPlatform.Benchmarks.EmptyEndpoint",
            ContentRootPath = AppContext.BaseDirectory,
        });
        // The output folder holds the services' appsettings.json (Kestrel endpoints, log levels): none of it applies here.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

        var app = builder.Build();
        app.MapPost("/v1/events", async (HttpContext context) =>
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            return Results.StatusCode(StatusCodes.Status202Accepted);
        });
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new EmptyEndpointServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
