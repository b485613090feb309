using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using RetentionPlatform.Recommendations.Model;
using RetentionPlatform.Tenancy;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Recommendations.Benchmarks;

/// <summary>
/// The real Recommendations service, wired as its Program.cs wires it, on Kestrel with cleartext HTTP/2 on a loopback
/// port, over the given PostgreSQL database and the test run's embedded Kafka broker. Starting it runs its migrations
/// and its model loader (the models rebuilt from PostgreSQL) before it listens, so the start time is the load time.
/// </summary>
internal sealed class RecommendationsServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecommendationsServiceHost(WebApplication app, Uri address, string gatewaySecret, TimeSpan startTime)
    {
        _app = app;
        Address = address;
        GatewaySecret = gatewaySecret;
        StartTime = startTime;
    }

    public Uri Address { get; }

    public string GatewaySecret { get; }

    /// <summary>From <c>StartAsync</c> to listening: migrations checked and every model rebuilt from PostgreSQL.</summary>
    public TimeSpan StartTime { get; }

    /// <summary>The service's own models.</summary>
    public Recommender Recommender => _app.Services.GetRequiredService<Recommender>();

    public static async Task<RecommendationsServiceHost> StartAsync(string connectionString)
    {
        var secret = GatewayTrust.NewSecret();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        // The service's appsettings.json is copied to the output (fixed ports, a local database): none of it applies here.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{RecommendationsServiceExtensions.DatabaseName}"] = connectionString,
            ["ConnectionStrings:kafka"] = TestServers.KafkaBootstrapServers,
            [GatewayTrust.SecretKey] = secret,
            ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
            ["Recommendations:ConsumerGroup"] = $"recommendations-benchmark-{Guid.NewGuid():N}",
            ["Logging:LogLevel:Default"] = "Warning",
            [$"Logging:LogLevel:{typeof(Infrastructure.RecommendationModelLoader).FullName}"] = "Information",
            // An overloaded run makes Kestrel abort the HTTP/2 connection and log it once per queued frame; the
            // benchmark counts the calls that fail (UNAVAILABLE) instead.
            ["Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel"] = "None",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "'   [service] '";
        });

        builder.AddServiceDefaults();
        builder.AddRecommendationsServices();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapRecommendationsEndpoints();

        var stopwatch = Stopwatch.StartNew();
        await app.StartAsync();
        var startTime = stopwatch.Elapsed;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new RecommendationsServiceHost(app, new Uri(address), secret, startTime);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
