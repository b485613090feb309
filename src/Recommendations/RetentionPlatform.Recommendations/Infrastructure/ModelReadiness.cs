using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RetentionPlatform.Recommendations.Infrastructure;

/// <summary>Healthy once the models have been rebuilt from PostgreSQL (before that, answers would start from nothing).</summary>
public sealed class ModelReadiness : IHealthCheck
{
    private volatile bool _loaded;

    public void MarkLoaded() => _loaded = true;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_loaded ? HealthCheckResult.Healthy("Models loaded.") : HealthCheckResult.Unhealthy("Models are still loading."));
}
