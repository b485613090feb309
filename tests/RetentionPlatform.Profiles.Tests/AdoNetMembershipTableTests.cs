using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;
using RetentionPlatform.Profiles.Infrastructure;

namespace RetentionPlatform.Profiles.Tests;

/// <summary>
/// Orleans' own ADO.NET membership table and gateway list, run against the tables and queries of migration 0002.
/// Each test is a cluster of its own in one migrated database.
/// </summary>
public sealed class AdoNetMembershipTableTests(ProfilesDatabaseFixture database) : IClassFixture<ProfilesDatabaseFixture>, IAsyncLifetime
{
    private static readonly DateTime Started = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);

    private readonly string _clusterId = $"cluster-{Guid.NewGuid():N}";
    private readonly ServiceProvider _services = new ServiceCollection().BuildServiceProvider();
    private AdoNetClusteringTable _table = null!;

    public async Task InitializeAsync()
    {
        _table = CreateTable(_clusterId);
        await _table.InitializeMembershipTableAsync(tryInitTableVersion: true);
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task ANewClusterHasNoSilosAndVersionZero()
    {
        var table = await _table.ReadAllAsync();

        Assert.Empty(table.Members);
        Assert.Equal(0, table.Version.Version);
    }

    [Fact]
    public async Task ASiloInsertedAtTheCurrentVersionReadsBackWithEveryFieldAndBumpsTheVersion()
    {
        var silo = Silo(21001, SiloStatus.Joining, Started.AddMinutes(1));

        Assert.True(await _table.InsertRowAsync(silo, (await _table.ReadAllAsync()).Version.Next()));

        var row = await _table.ReadRowAsync(silo.SiloAddress);
        var (read, etag) = Assert.Single(row.Members);
        Assert.Equal(
            (silo.SiloAddress, silo.Status, silo.ProxyPort, silo.HostName, silo.SiloName, silo.StartTime, silo.IAmAliveTime),
            (read.SiloAddress, read.Status, read.ProxyPort, read.HostName, read.SiloName, read.StartTime, read.IAmAliveTime));
        Assert.Equal("1", etag);
        Assert.Equal(1, row.Version.Version);
        Assert.Equal(1, (await _table.ReadAllAsync()).Version.Version);
    }

    [Fact]
    public async Task AReadOfAnUnknownSiloStillCarriesTheTableVersion()
    {
        Assert.True(await _table.InsertRowAsync(Silo(21011, SiloStatus.Active), (await _table.ReadAllAsync()).Version.Next()));

        var row = await _table.ReadRowAsync(Silo(21013, SiloStatus.Active).SiloAddress);

        Assert.Empty(row.Members);
        Assert.Equal(1, row.Version.Version);
    }

    [Fact]
    public async Task WritesAtAStaleVersionAreRefusedAndChangeNothing()
    {
        var stale = (await _table.ReadAllAsync()).Version;
        var first = Silo(21021, SiloStatus.Joining);
        Assert.True(await _table.InsertRowAsync(first, stale.Next()));

        var second = Silo(21023, SiloStatus.Joining);
        Assert.False(await _table.InsertRowAsync(second, stale.Next()));
        first.Status = SiloStatus.Active;
        Assert.False(await _table.UpdateRowAsync(first, "1", stale.Next()));

        var table = await _table.ReadAllAsync();
        var (read, _) = Assert.Single(table.Members);
        Assert.Equal((first.SiloAddress, SiloStatus.Joining), (read.SiloAddress, read.Status));
        Assert.Equal(1, table.Version.Version);
    }

    [Fact]
    public async Task InsertingASiloThatIsAlreadyThereIsRefusedWithoutBumpingTheVersion()
    {
        var silo = Silo(21031, SiloStatus.Joining);
        Assert.True(await _table.InsertRowAsync(silo, (await _table.ReadAllAsync()).Version.Next()));

        Assert.False(await _table.InsertRowAsync(silo, (await _table.ReadAllAsync()).Version.Next()));

        Assert.Equal(1, (await _table.ReadAllAsync()).Version.Version);
    }

    [Fact]
    public async Task AnUpdateSetsStatusAndSuspicionsButNeverMovesTheHeartbeatBackwards()
    {
        var silo = Silo(21041, SiloStatus.Active, Started.AddMinutes(10));
        var suspector = Silo(21043, SiloStatus.Active).SiloAddress;
        Assert.True(await _table.InsertRowAsync(silo, (await _table.ReadAllAsync()).Version.Next()));

        var table = await _table.ReadAllAsync();
        var update = Silo(21041, SiloStatus.Dead, Started.AddMinutes(5));
        update.SuspectTimes = [Tuple.Create(suspector, Started.AddMinutes(9))];
        Assert.True(await _table.UpdateRowAsync(update, table.Members[0].Item2, table.Version.Next()));

        var (read, _) = Assert.Single((await _table.ReadRowAsync(silo.SiloAddress)).Members);
        Assert.Equal(SiloStatus.Dead, read.Status);
        Assert.Equal(Started.AddMinutes(10), read.IAmAliveTime);
        var (votedBy, votedAt) = Assert.Single(read.SuspectTimes!);
        Assert.Equal((suspector, Started.AddMinutes(9)), (votedBy, votedAt));
        Assert.Equal(2, (await _table.ReadAllAsync()).Version.Version);
    }

    [Fact]
    public async Task HeartbeatsMoveTheAliveTimeForwardOnlyAndLeaveTheVersionAlone()
    {
        var silo = Silo(21051, SiloStatus.Active, Started.AddMinutes(10));
        Assert.True(await _table.InsertRowAsync(silo, (await _table.ReadAllAsync()).Version.Next()));

        silo.IAmAliveTime = Started.AddMinutes(20);
        await _table.UpdateIAmAliveAsync(silo);
        silo.IAmAliveTime = Started.AddMinutes(15);
        await _table.UpdateIAmAliveAsync(silo);

        var row = await _table.ReadRowAsync(silo.SiloAddress);
        Assert.Equal(Started.AddMinutes(20), Assert.Single(row.Members).Item1.IAmAliveTime);
        Assert.Equal(1, row.Version.Version);
    }

    [Fact]
    public async Task OnlyActiveSilosWithAGatewayAreListedForClients()
    {
        var active = Silo(21061, SiloStatus.Active);
        var noGateway = Silo(21063, SiloStatus.Active);
        noGateway.ProxyPort = 0;
        foreach (var silo in (MembershipEntry[])[active, noGateway, Silo(21065, SiloStatus.Joining), Silo(21067, SiloStatus.Dead)])
        {
            Assert.True(await _table.InsertRowAsync(silo, (await _table.ReadAllAsync()).Version.Next()));
        }

        var gateways = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            _services,
            Options.Create(new AdoNetClusteringClientOptions { Invariant = OrleansProviders.NpgsqlInvariant, ConnectionString = ConnectionString }),
            Options.Create(new GatewayOptions()),
            Options.Create(new ClusterOptions { ClusterId = _clusterId, ServiceId = "membership-tests" }));
        await gateways.InitializeGatewayListProviderAsync();

        var expected = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, active.ProxyPort), active.SiloAddress.Generation).ToGatewayUri();
        Assert.Equal([expected], await gateways.GetGatewaysAsync());
    }

    [Fact]
    public async Task DeadSilosLastHeardOfBeforeTheCutoffArePrunedAndOthersStay()
    {
        var suspector = Silo(21079, SiloStatus.Active).SiloAddress;
        var longDead = Silo(21071, SiloStatus.Dead, Started.AddMinutes(5));
        longDead.SuspectTimes = [Tuple.Create(suspector, Started.AddMinutes(4))];
        var recentlyDead = Silo(21073, SiloStatus.Dead, Started.AddHours(3));
        var oldButActive = Silo(21075, SiloStatus.Active, Started.AddMinutes(5));
        foreach (var silo in (MembershipEntry[])[longDead, recentlyDead, oldButActive])
        {
            Assert.True(await _table.InsertRowAsync(silo, (await _table.ReadAllAsync()).Version.Next()));
        }

        // Suspicion votes are stored by UpdateRow only.
        var table = await _table.ReadAllAsync();
        Assert.True(await _table.UpdateRowAsync(longDead, table.Members.Single(m => m.Item1.SiloAddress.Equals(longDead.SiloAddress)).Item2, table.Version.Next()));

        await _table.CleanupDefunctSiloEntriesAsync(new DateTimeOffset(Started.AddHours(1)));

        var remaining = (await _table.ReadAllAsync()).Members.Select(m => m.Item1.SiloAddress).ToHashSet();
        Assert.Equal([recentlyDead.SiloAddress, oldButActive.SiloAddress], remaining.OrderBy(a => a.Endpoint.Port));
    }

    [Fact]
    public async Task DeletingAClusterRemovesItsSilosAndVersionButNoOtherCluster()
    {
        var other = CreateTable($"other-{Guid.NewGuid():N}");
        await other.InitializeMembershipTableAsync(tryInitTableVersion: true);
        Assert.True(await other.InsertRowAsync(Silo(21081, SiloStatus.Active), (await other.ReadAllAsync()).Version.Next()));
        Assert.True(await _table.InsertRowAsync(Silo(21083, SiloStatus.Active), (await _table.ReadAllAsync()).Version.Next()));

        await _table.DeleteMembershipTableEntriesAsync(_clusterId);

        Assert.Equal((0L, 0L), (await CountRowsAsync(_clusterId)));
        Assert.Single((await other.ReadAllAsync()).Members);
    }

    private string ConnectionString => OrleansProviders.WithProfilesSearchPath(database.ConnectionString);

    private AdoNetClusteringTable CreateTable(string clusterId) => new(
        _services,
        Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "membership-tests" }),
        Options.Create(new AdoNetClusteringSiloOptions { Invariant = OrleansProviders.NpgsqlInvariant, ConnectionString = ConnectionString }),
        NullLogger<AdoNetClusteringTable>.Instance);

    private static MembershipEntry Silo(int port, SiloStatus status, DateTime? iAmAlive = null) => new()
    {
        SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 7),
        Status = status,
        ProxyPort = port + 1,
        HostName = "test-host",
        SiloName = $"silo-{port}",
        StartTime = Started,
        IAmAliveTime = iAmAlive ?? Started,
    };

    private async Task<(long Silos, long Versions)> CountRowsAsync(string clusterId)
    {
        await using var command = database.DataSource.CreateCommand(
            "select (select count(*) from profiles.orleans_membership where deployment_id = $1), " +
            "(select count(*) from profiles.orleans_membership_version where deployment_id = $1)");
        command.Parameters.AddWithValue(clusterId);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
