using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using RetentionPlatform.Gateway.Authentication;
using RetentionPlatform.Gateway.Idempotency;
using RetentionPlatform.Postgres;
using RetentionPlatform.Testing;
using Yarp.ReverseProxy.Forwarder;

namespace RetentionPlatform.Gateway.Tests.Idempotency;

/// <summary>
/// A real Kestrel app on loopback with its own PostgreSQL database and the gateway's schema: a stand-in for
/// authentication that takes the tenant from <see cref="TenantHeader"/>, the idempotency middleware, and counting
/// endpoints in place of the proxied backends, which <c>/v1/proxied/...</c> also reaches through YARP's forwarder
/// (as the gateway does). Time is a <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class IdempotencyTestHost : IAsyncDisposable
{
    public const string TenantHeader = "X-Test-Tenant";
    public const int MaxRequestBodyBytes = 64 * 1024;
    public static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _forwarderClient = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
    });

    private BackendHold? _hold;

    private IdempotencyTestHost(string connectionString)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(Logs);
        // The gateway's appsettings.json, copied beside the tests, binds fixed ports: it is for running it alone.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{GatewayServiceExtensions.DatabaseName}"] = connectionString,
            [$"{IdempotencyOptions.SectionName}:CleanupInterval"] = CleanupInterval.ToString(),
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.Listen(IPAddress.Loopback, 0, listen => Listen = listen);
        });
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.Services.AddProblemDetails();
        builder.Services.AddNpgsqlDataSource(connectionString);
        builder.Services.AddPostgresMigrations("gateway", typeof(GatewayServiceExtensions).Assembly);
        builder.Services.AddHttpForwarder();
        builder.AddIdempotency();

        _app = builder.Build();
        _app.Use(AuthenticateFromTestHeader);
        _app.UseIdempotency();
        _app.Map("/v1/proxied/{**rest}", ForwardToSelfAsync);
        _app.MapPost("/v1/things", CreateThingAsync);
        _app.MapGet("/v1/things", (HttpContext context) =>
        {
            Count(context);
            return TypedResults.Ok(new Thing(Guid.NewGuid(), ""));
        });
        _app.MapPost("/v1/status/{code:int}", (HttpContext context, int code) =>
        {
            Count(context);
            return TypedResults.Problem(statusCode: code, detail: Guid.NewGuid().ToString());
        });
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

    public LogSignal Logs { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public NpgsqlDataSource Database => _app.Services.GetRequiredService<NpgsqlDataSource>();

    private ListenOptions Listen { get; set; } = null!;

    public static async Task<IdempotencyTestHost> StartAsync()
    {
        var host = new IdempotencyTestHost(await TestServers.CreateDatabaseAsync("idempotency"));
        await host._app.StartAsync();
        host.Client = new HttpClient { BaseAddress = new Uri($"http://{host.Listen.IPEndPoint}") };
        return host;
    }

    /// <summary>How many requests reached the endpoint at <paramref name="path"/>.</summary>
    public int Calls(string path) => _calls.GetValueOrDefault(path);

    /// <summary>Holds the next call to <c>POST /v1/things</c> until released.</summary>
    public BackendHold HoldNextCall()
    {
        var hold = new BackendHold();
        Interlocked.Exchange(ref _hold, hold);
        return hold;
    }

    /// <summary>The keys that have a record, in order.</summary>
    public async Task<IReadOnlyList<string>> StoredKeysAsync()
    {
        await using var command = Database.CreateCommand("select idempotency_key from gateway.idempotency_keys order by 1");
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        _forwarderClient.Dispose();
        await _app.DisposeAsync();
    }

    private static Task AuthenticateFromTestHeader(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Headers[TenantHeader] is [{ Length: > 0 } tenant])
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ApiKeyAuthenticationHandler.TenantClaim, tenant)], "Test"));
        }

        return next(context);
    }

    private async Task<IResult> CreateThingAsync(HttpRequest request)
    {
        Count(request.HttpContext);
        if (Interlocked.Exchange(ref _hold, null) is { } hold)
        {
            await hold.EnterAsync();
        }

        using var reader = new StreamReader(request.Body);
        var received = await reader.ReadToEndAsync();
        var id = Guid.NewGuid();
        return TypedResults.Created($"/v1/things/{id}", new Thing(id, received));
    }

    private async Task ForwardToSelfAsync(HttpContext context, IHttpForwarder forwarder) =>
        await forwarder.SendAsync(context, Client.BaseAddress!.ToString(), _forwarderClient, ForwarderRequestConfig.Empty, ToBackend.Instance);

    private void Count(HttpContext context) => _calls.AddOrUpdate(context.Request.Path.Value!, 1, (_, calls) => calls + 1);

    private sealed record Thing(Guid Id, string Received);

    /// <summary>Sends <c>/v1/proxied/rest</c> on to <c>/v1/rest</c>, without the key (the backend must not see it twice).</summary>
    private sealed class ToBackend : HttpTransformer
    {
        public static readonly ToBackend Instance = new();

        public override async ValueTask TransformRequestAsync(
            HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            proxyRequest.Headers.Remove("Idempotency-Key");
            proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(
                destinationPrefix, httpContext.Request.Path.Value!.Replace("/v1/proxied/", "/v1/", StringComparison.Ordinal), httpContext.Request.QueryString);
        }
    }
}
