using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace RetentionPlatform.Profiles.Tests;

/// <summary>
/// An in-process Orleans test cluster with the profiles grain storage in memory (able to fail on request,
/// <see cref="IStorageFaultGrain"/>), in-memory reminders, the recording change sink, and a fake clock the
/// grains read (<see cref="Clock"/>), which also drives their timers.
/// </summary>
public sealed class ProfilesClusterFixture : IAsyncLifetime
{
    /// <summary>The grains' clock: starts at a fixed Monday morning (UTC) and moves only when a test advances it.</summary>
    public static FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

    /// <summary>The aliases the cluster's grains claimed.</summary>
    public static InMemoryCustomerAliasStore Aliases { get; } = new();

    public TestCluster Cluster { get; } = new TestClusterBuilder(1).AddSiloBuilderConfigurator<SiloConfigurator>().Build();

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddFaultInjectionMemoryStorage(CustomerGrain.StorageName, (MemoryGrainStorageOptions _) => { }, (FaultInjectionGrainStorageOptions _) => { });
            siloBuilder.UseInMemoryReminderService();
            siloBuilder.Services.AddSingleton<TimeProvider>(Clock);
            siloBuilder.Services.AddProfileGrains();
            siloBuilder.Services.AddSingleton<IProfileChangeSink>(RecordingChangeSink.Instance);
            siloBuilder.Services.AddSingleton<ICustomerAliasStore>(Aliases);
        }
    }
}
