using Orleans.Configuration;
using Orleans.TestingHost;

namespace RetentionPlatform.Profiles.Tests;

/// <summary>
/// An in-process Orleans test cluster with the profiles grain storage in memory, able to fail on request
/// (<see cref="IStorageFaultGrain"/>).
/// </summary>
public sealed class ProfilesClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; } = new TestClusterBuilder(1).AddSiloBuilderConfigurator<SiloConfigurator>().Build();

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.Services.AddFaultInjectionMemoryStorage(CustomerGrain.StorageName, (MemoryGrainStorageOptions _) => { }, (FaultInjectionGrainStorageOptions _) => { });
    }
}
