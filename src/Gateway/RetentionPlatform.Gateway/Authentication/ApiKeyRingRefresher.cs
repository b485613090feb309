using Microsoft.Extensions.Options;
using RetentionPlatform.Gateway.Tenants;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Gateway.Authentication;

/// <summary>How the gateway keeps its key ring current (<c>Gateway:KeyRing</c>).</summary>
public sealed class ApiKeyRingOptions
{
    /// <summary>How often the stored version is checked; a revocation takes effect within this time.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Loads the key ring before the gateway serves (after creating the configured bootstrap keys), then checks the
/// stored version every <see cref="ApiKeyRingOptions.RefreshInterval"/> and reloads on change. A failed check
/// keeps the last ring (and logs): the gateway keeps serving through a short database outage.
/// </summary>
public sealed partial class ApiKeyRingRefresher(
    TenantStore store,
    ApiKeyRing ring,
    IOptions<Dictionary<string, ApiKeyOptions>> configuredKeys,
    IOptions<ApiKeyRingOptions> options,
    TimeProvider time,
    ILogger<ApiKeyRingRefresher> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, key) in configuredKeys.Value)
        {
            var scopes = key.Scopes.Count == 0 ? ApiScopes.All : key.Scopes;
            if (!TenantId.IsValid(key.Tenant) || key.Sha256.Length != 64 || !ApiKeyFormat.IsPrefix(name.ToLowerInvariant()) || !scopes.All(ApiScopes.IsValid))
            {
                throw new InvalidOperationException($"API key '{name}' needs a valid Tenant, a 64-character hex Sha256 and scopes among {string.Join(", ", ApiScopes.All)}.");
            }

            await store.EnsureConfiguredKeyAsync(name.ToLowerInvariant(), key.Tenant, key.Sha256, scopes, cancellationToken);
        }

        await ReloadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <summary>Reloads now (the admin API calls this after a change, so the replica that made it sees it at once).</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var (version, keys) = await store.LoadActiveKeysAsync(cancellationToken);
        ring.Replace(version, keys);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await store.GetVersionAsync(stoppingToken) != ring.Version)
                {
                    await ReloadAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRefreshFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Refreshing the API key ring failed; the last loaded keys stay in force")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
