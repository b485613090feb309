using Microsoft.Extensions.Logging;

namespace RetentionPlatform.Profiles;

/// <summary>
/// One tenant's contact policy and segment definitions. A new or changed segment is evaluated for every known
/// customer of the tenant in the background, so its member list fills without waiting for customers to act.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The backfill's token source is cancelled and disposed when the grain deactivates; Orleans does not dispose grains.")]
public sealed partial class TenantGrain(
    [PersistentState("tenant", CustomerGrain.StorageName)] IPersistentState<TenantGrainState> state,
    TenantConfigurationCache cache,
    IServiceProvider services,
    ILogger<TenantGrain> logger) : Grain, ITenantGrain
{
    /// <summary>Customers refreshed at the same time by a backfill.</summary>
    public const int BackfillConcurrency = 16;

    private CancellationTokenSource? _backfill;

    public Task<TenantConfiguration> GetConfigurationAsync() => Task.FromResult(state.State.Configuration);

    public async Task<TenantConfiguration> SetContactPolicyAsync(ContactPolicy policy)
    {
        var current = state.State.Configuration;
        await SaveAsync(current with { Version = current.Version + 1, Policy = policy });
        return state.State.Configuration;
    }

    public async Task<bool> DefineSegmentAsync(SegmentDefinition segment)
    {
        var current = state.State.Configuration;
        var segments = current.Segments.Where(s => s.Id != segment.Id).Append(segment).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        var isNew = segments.Count > current.Segments.Count;
        await SaveAsync(current with { Version = current.Version + 1, Segments = segments });
        StartBackfill();
        return isNew;
    }

    public async Task<bool> DeleteSegmentAsync(string segmentId)
    {
        var current = state.State.Configuration;
        if (current.Segments.All(s => s.Id != segmentId))
        {
            return false;
        }

        await SaveAsync(current with { Version = current.Version + 1, Segments = current.Segments.Where(s => s.Id != segmentId).ToList() });
        StartBackfill();
        return true;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _backfill?.Cancel();
        _backfill?.Dispose();
        return Task.CompletedTask;
    }

    private async Task SaveAsync(TenantConfiguration configuration)
    {
        state.State.Configuration = configuration;
        await state.WriteStateAsync();
        cache.Put(this.GetPrimaryKeyString(), configuration);
    }

    private void StartBackfill()
    {
        if (services.GetService(typeof(ICustomerDirectory)) is not ICustomerDirectory directory)
        {
            return;
        }

        _backfill?.Cancel();
        _backfill?.Dispose();
        _backfill = new CancellationTokenSource();
        var token = _backfill.Token;
        var tenant = this.GetPrimaryKeyString();
        var grains = GrainFactory;

        // Runs outside the grain's turn (customers call back into the tenant's settings through the cache).
        _ = Task.Run(async () =>
        {
            var refreshed = 0;
            try
            {
                await Parallel.ForEachAsync(
                    directory.CustomerIdsAsync(tenant, token),
                    new ParallelOptions { MaxDegreeOfParallelism = BackfillConcurrency, CancellationToken = token },
                    async (customerId, _) =>
                    {
                        await grains.GetGrain<ICustomerGrain>(CustomerGrainKey.For(tenant, customerId)).RefreshAsync();
                        Interlocked.Increment(ref refreshed);
                    });
                LogBackfilled(logger, tenant, refreshed);
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception ex)
            {
                LogBackfillFailed(logger, ex, tenant, refreshed);
            }
        }, CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Segments of tenant {Tenant} evaluated for {Count} customers")]
    private static partial void LogBackfilled(ILogger logger, string tenant, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Evaluating segments of tenant {Tenant} stopped after {Count} customers")]
    private static partial void LogBackfillFailed(ILogger logger, Exception exception, string tenant, int count);
}
