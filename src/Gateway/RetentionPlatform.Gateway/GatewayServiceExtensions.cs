using System.Diagnostics;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using RetentionPlatform.Gateway.Authentication;
using RetentionPlatform.Gateway.Idempotency;
using RetentionPlatform.Gateway.Infrastructure;
using RetentionPlatform.Gateway.OpenApi;
using RetentionPlatform.Gateway.Protection;
using RetentionPlatform.Gateway.Tenants;
using RetentionPlatform.Postgres;
using RetentionPlatform.Tenancy;
using Yarp.ReverseProxy.ServiceDiscovery;
using Yarp.ReverseProxy.Transforms;

namespace RetentionPlatform.Gateway;

/// <summary>
/// Every registration of the gateway: tenants and API keys (PostgreSQL, held in memory as a key ring), scopes,
/// rate limits, timeouts, request ids, the signed tenant hand-over to the services, and the YARP routes.
/// </summary>
public static class GatewayServiceExtensions
{
    /// <summary>The commented route, cluster and service-discovery configuration, shipped beside the binaries.</summary>
    public const string RoutesFile = "gateway.routes.json";

    /// <summary>Connection string name of the gateway's database: tenants, API keys, idempotency records (<c>ConnectionStrings__gatewaydb</c>).</summary>
    public const string DatabaseName = "gatewaydb";

    /// <summary>How long a request may take end to end unless its route says otherwise (<c>Gateway:RequestTimeout</c>).</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The largest request body of a route that sets no limit of its own (<c>Gateway:MaxRequestBodySize</c>).</summary>
    public const long DefaultMaxRequestBodySize = 64 * 1024;

    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        // Lowest precedence: appsettings, the environment (the Aspire contract) and hosts can override any of it.
        builder.Configuration.Sources.Insert(0, new JsonConfigurationSource
        {
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
            Path = RoutesFile,
            Optional = false,
        });
        builder.AddGatewayTrust();
        var connectionString = builder.Configuration.GetConnectionString(DatabaseName)
            ?? throw new InvalidOperationException($"Set ConnectionStrings:{DatabaseName} to the gateway's PostgreSQL database.");
        builder.Services.AddNpgsqlDataSource(connectionString, dataSource => dataSource.TraceCommandsWithinTraces());
        builder.Services.AddPostgresMigrations("gateway", typeof(GatewayServiceExtensions).Assembly);
        builder.Services.AddHealthChecks().AddNpgSql();
        builder.AddIdempotency();

        // Tenants and keys: stored in PostgreSQL, held in memory; the refresher starts after the migrations.
        builder.Services.Configure<Dictionary<string, ApiKeyOptions>>(builder.Configuration.GetSection("Gateway:ApiKeys"));
        builder.Services.Configure<ApiKeyRingOptions>(builder.Configuration.GetSection("Gateway:KeyRing"));
        builder.Services.Configure<OperatorOptions>(builder.Configuration.GetSection("Gateway:Operator"));
        builder.Services.AddSingleton<TenantStore>();
        builder.Services.AddSingleton<ApiKeyRing>();
        builder.Services.AddSingleton<ApiKeyRingRefresher>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<ApiKeyRingRefresher>());

        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, OperatorAuthenticationHandler>(OperatorAuthenticationHandler.SchemeName, null);
        builder.Services.AddGatewayPolicies();
        builder.Services.AddGatewayRateLimiting(builder.Configuration);
        // Routes that take bodies set their own limit (gateway.routes.json, the admin API); anything else is small.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
            kestrel.Limits.MaxRequestBodySize = builder.Configuration.GetValue("Gateway:MaxRequestBodySize", DefaultMaxRequestBodySize));
        builder.Services.AddRequestTimeouts(options => options.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = builder.Configuration.GetValue("Gateway:RequestTimeout", DefaultRequestTimeout),
            TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
        });

        // The gateway starts every trace (a caller's traceparent is not continued); its outgoing calls carry it on.
        builder.Services.AddSingleton<DistributedContextPropagator, RootTracePropagator>();

        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddTransforms(context =>
            {
                // A public route's caller is a customer following a link: no tenant is vouched for, even when a key comes along.
                var publicRoute = PublicRoutes.IsPublic(context.Route);
                context.AddGrpcErrorTranslation().AddRequestTransform(transform =>
                {
                    // Never forward what the caller claims about identity or tracing: the key stays here, the tenant
                    // the services see is the one the key belongs to (signed, so services can tell it came from here),
                    // and the trace is the gateway's.
                    var headers = transform.ProxyRequest.Headers;
                    foreach (var header in StrippedHeaders)
                    {
                        headers.Remove(header);
                    }

                    var http = transform.HttpContext;
                    if (!publicRoute && http.Features.Get<ApiKeyEntry>() is { } key)
                    {
                        headers.TryAddWithoutValidation(TenantHeaders.Tenant, key.Tenant);
                        headers.TryAddWithoutValidation(TenantHeaders.GatewaySignature, http.RequestServices.GetRequiredService<GatewayTrust>().Sign(key.Tenant));
                    }

                    headers.TryAddWithoutValidation(RequestIds.Header, http.Response.Headers[RequestIds.Header].ToString());
                    return ValueTask.CompletedTask;
                });
            });
        builder.Services.AddSingleton<IDestinationResolver, ServiceDiscoveryDestinationResolver>();
        return builder;
    }

    private static readonly string[] StrippedHeaders =
    [
        TenantHeaders.Tenant, TenantHeaders.GatewaySignature, ApiKeyAuthenticationHandler.ApiKeyHeader, "Authorization",
        RequestIds.Header, "traceparent", "tracestate", "baggage", "Request-Id", "Correlation-Context",
    ];

    // The proxy reports a request cancelled by its timeout as a client cancellation (400); say what happened.
    private static void UseTimeoutStatus(this WebApplication app) =>
        app.Use(async (context, next) =>
        {
            await next(context);
            if (!context.Response.HasStarted && context.Features.Get<IHttpRequestTimeoutFeature>() is { RequestTimeoutToken.IsCancellationRequested: true })
            {
                context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
            }
        });

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseRequestIds();
        app.UseGatewayMetrics();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseBodyLimits();
        app.UseIdempotency();
        app.UseRequestTimeouts();
        app.UseTimeoutStatus();
        app.MapApiDocumentation();
        app.MapTenantAdminApi();
        app.MapReverseProxy();
        return app;
    }
}
