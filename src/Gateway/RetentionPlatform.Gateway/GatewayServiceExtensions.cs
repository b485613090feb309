using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.AspNetCore.Authentication;
using RetentionPlatform.Gateway.Authentication;
using RetentionPlatform.Gateway.Infrastructure;
using RetentionPlatform.Gateway.OpenApi;
using RetentionPlatform.Postgres;
using RetentionPlatform.Tenancy;
using Yarp.ReverseProxy.ServiceDiscovery;
using Yarp.ReverseProxy.Transforms;

namespace RetentionPlatform.Gateway;

/// <summary>Every registration of the gateway: API-key authentication, tenancy headers, YARP routes.</summary>
public static class GatewayServiceExtensions
{
    /// <summary>The authorization policy every partner route uses (named in the ReverseProxy configuration).</summary>
    public const string PartnerPolicy = "partner";

    /// <summary>The commented route, cluster and service-discovery configuration, shipped beside the binaries.</summary>
    public const string RoutesFile = "gateway.routes.json";

    /// <summary>Connection string name of the gateway's database: tenants, API keys, idempotency records (<c>ConnectionStrings__gatewaydb</c>).</summary>
    public const string DatabaseName = "gatewaydb";

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
        builder.Services.AddNpgsqlDataSource(connectionString);
        builder.Services.AddPostgresMigrations("gateway", typeof(GatewayServiceExtensions).Assembly);
        builder.Services.AddHealthChecks().AddNpgSql();
        builder.Services.Configure<Dictionary<string, ApiKeyOptions>>(builder.Configuration.GetSection("Gateway:ApiKeys"));
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PartnerPolicy, policy => policy.RequireAuthenticatedUser().RequireClaim(ApiKeyAuthenticationHandler.TenantClaim));

        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddTransforms(context => context.AddRequestTransform(transform =>
            {
                var trust = transform.HttpContext.RequestServices.GetRequiredService<GatewayTrust>();
                // Never forward what the caller claims about identity: the key stays here and the tenant
                // the services see is the one the key belongs to.
                var headers = transform.ProxyRequest.Headers;
                headers.Remove(TenantHeaders.Tenant);
                headers.Remove(TenantHeaders.GatewaySignature);
                headers.Remove(ApiKeyAuthenticationHandler.ApiKeyHeader);
                headers.Remove("Authorization");
                if (transform.HttpContext.User.FindFirst(ApiKeyAuthenticationHandler.TenantClaim)?.Value is { } tenant)
                {
                    headers.TryAddWithoutValidation(TenantHeaders.Tenant, tenant);
                    headers.TryAddWithoutValidation(TenantHeaders.GatewaySignature, trust.Sign(tenant));
                }

                return ValueTask.CompletedTask;
            }));
        builder.Services.AddSingleton<IDestinationResolver, ServiceDiscoveryDestinationResolver>();
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapApiDocumentation();
        app.MapReverseProxy();
        return app;
    }
}
