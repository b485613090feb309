using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using RetentionPlatform.Tenancy;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Scheduling.Benchmarks;

/// <summary>
/// The real Scheduling service, wired as its Program.cs wires it, on Kestrel with cleartext HTTP/2 on a loopback port,
/// over the given PostgreSQL database and the test run's embedded Kafka broker (the outbox dispatcher publishes there).
/// Starting it runs its migrations before it listens.
/// </summary>
internal sealed class SchedulingServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SchedulingServiceHost(WebApplication app, Uri address, string gatewaySecret, TimeSpan startTime)
    {
        _app = app;
        Address = address;
        GatewaySecret = gatewaySecret;
        StartTime = startTime;
    }

    public Uri Address { get; }

    public string GatewaySecret { get; }

    /// <summary>From <c>StartAsync</c> to listening: migrations run, Kafka consumers and the outbox dispatcher started.</summary>
    public TimeSpan StartTime { get; }

    /// <summary>The service's own singletons (Scheduler, ScheduleStore, BookingStore), for the in-process comparisons.</summary>
    public IServiceProvider Services => _app.Services;

    public static async Task<SchedulingServiceHost> StartAsync(string connectionString)
    {
        var secret = GatewayTrust.NewSecret();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        // The service's appsettings.json is copied to the output (fixed ports, a local database): none of it applies here.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{SchedulingServiceExtensions.DatabaseName}"] = connectionString,
            ["ConnectionStrings:kafka"] = TestServers.KafkaBootstrapServers,
            [GatewayTrust.SecretKey] = secret,
            ["Kestrel:Endpoints:http:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:http:Protocols"] = "Http2",
            ["Scheduling:ConsumerGroup"] = $"scheduling-benchmark-{Guid.NewGuid():N}",
            ["Logging:LogLevel:Default"] = "Warning",
            // A request that fails logs its whole stack trace; the benchmark counts the 500s and PostgreSQL's reasons instead.
            ["Logging:LogLevel:Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware"] = "None",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "'   [service] '";
        });

        builder.AddServiceDefaults();
        builder.AddSchedulingServices();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapSchedulingEndpoints();

        var stopwatch = Stopwatch.StartNew();
        await app.StartAsync();
        var startTime = stopwatch.Elapsed;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new SchedulingServiceHost(app, new Uri(address), secret, startTime);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
