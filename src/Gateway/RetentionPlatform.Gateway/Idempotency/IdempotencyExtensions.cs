using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RetentionPlatform.Gateway.Idempotency;

/// <summary>Registers and places the gateway's <c>Idempotency-Key</c> handling.</summary>
public static class IdempotencyExtensions
{
    /// <summary>
    /// Options from <c>Gateway:Idempotency</c>, the store over the gateway's <see cref="Npgsql.NpgsqlDataSource"/>
    /// (table <c>gateway.idempotency_keys</c>, migration 0002) and the service that deletes expired records.
    /// Needs <see cref="IProblemDetailsService"/> (service defaults) and the data source registered.
    /// </summary>
    public static IHostApplicationBuilder AddIdempotency(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<IdempotencyOptions>()
            .Bind(builder.Configuration.GetSection(IdempotencyOptions.SectionName))
            .Validate(
                o => o.Retention > TimeSpan.Zero && o.StaleClaimTimeout > TimeSpan.Zero && o.CleanupInterval > TimeSpan.Zero
                     && o.MaxStoredResponseBytes >= 0,
                $"{IdempotencyOptions.SectionName}: Retention, StaleClaimTimeout and CleanupInterval must be positive, MaxStoredResponseBytes not negative.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IdempotencyStore>();
        builder.Services.AddHostedService<IdempotencyCleanupService>();
        return builder;
    }

    /// <summary>
    /// Honours <c>Idempotency-Key</c> on POST requests. Place it after authorization (it needs the caller's tenant
    /// claim) and before the endpoints (the proxy) it guards.
    /// </summary>
    public static IApplicationBuilder UseIdempotency(this IApplicationBuilder app) =>
        app.UseMiddleware<IdempotencyMiddleware>();
}
