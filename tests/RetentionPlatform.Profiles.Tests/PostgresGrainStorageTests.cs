using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Serialization;
using Orleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using RetentionPlatform.Postgres;
using RetentionPlatform.Profiles.Infrastructure;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Profiles.Tests;

[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes through IAsyncLifetime.DisposeAsync.")]
public sealed class PostgresGrainStorageTests : IAsyncLifetime
{
    private static readonly GrainId Alice = GrainId.Create("customer", "t1/alice");

    private readonly ServiceProvider _serializers = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private NpgsqlDataSource _dataSource = null!;
    private GrainStateWriter _writer = null!;
    private PostgresGrainStorage _storage = null!;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await TestServers.CreateDatabaseAsync("profiles"));
        await PostgresMigrator.MigrateAsync(_dataSource, "profiles", Migration.FromEmbeddedResources(typeof(PostgresGrainStorage).Assembly), NullLogger.Instance, default);
        _writer = new GrainStateWriter(_dataSource);
        _storage = new PostgresGrainStorage(_dataSource, _writer, new OrleansGrainStorageSerializer(_serializers.GetRequiredService<Serializer>()));
    }

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _dataSource.DisposeAsync();
        await _serializers.DisposeAsync();
    }

    [Fact]
    public async Task WrittenStateReadsBackWithItsEtag()
    {
        var written = new GrainState<CustomerState>(new CustomerState { Profile = new CustomerProfile { EventCount = 3, LastEventType = "order_placed" }, RecentEventHashes = [1, 2, 3] });
        await _storage.WriteStateAsync("customer", Alice, written);

        var read = new GrainState<CustomerState>(new CustomerState());
        await _storage.ReadStateAsync("customer", Alice, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(3, read.State!.Profile!.EventCount);
        Assert.Equal("order_placed", read.State!.Profile!.LastEventType);
        Assert.Equal([1UL, 2UL, 3UL], read.State!.RecentEventHashes);
    }

    [Fact]
    public async Task AMissingRowReadsAsNoRecord()
    {
        var read = new GrainState<CustomerState>(new CustomerState());
        await _storage.ReadStateAsync("customer", GrainId.Create("customer", "t1/nobody"), read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    [Fact]
    public async Task AWriterWithAStaleEtagIsRefusedAndChangesNothing()
    {
        var id = GrainId.Create("customer", "t1/bob");
        var first = new GrainState<CustomerState>(Counted(1));
        await _storage.WriteStateAsync("customer", id, first);
        var stale = new GrainState<CustomerState>(Counted(99)) { ETag = first.ETag };
        first.State!.Profile!.EventCount = 2;
        await _storage.WriteStateAsync("customer", id, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("customer", id, stale));

        var read = new GrainState<CustomerState>(new CustomerState());
        await _storage.ReadStateAsync("customer", id, read);
        Assert.Equal(2, read.State!.Profile!.EventCount);
    }

    [Fact]
    public async Task ASecondFirstWriteForTheSameGrainIsRefused()
    {
        var id = GrainId.Create("customer", "t1/carol");
        await _storage.WriteStateAsync("customer", id, new GrainState<CustomerState>(Counted(1)));

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => _storage.WriteStateAsync("customer", id, new GrainState<CustomerState>(Counted(5))));
    }

    [Fact]
    public async Task ConcurrentWritesCommittedTogetherEachKeepTheirOwnEtagCheck()
    {
        var states = Enumerable.Range(0, 200).Select(i => (Id: GrainId.Create("customer", $"t1/many-{i}"), State: new GrainState<CustomerState>(Counted(i)))).ToList();
        await Task.WhenAll(states.Select(s => _storage.WriteStateAsync("customer", s.Id, s.State)));

        // Half of the second round carries a stale etag: those fail, the others in the same transactions succeed.
        var second = states.Select((s, i) => (s.Id, State: new GrainState<CustomerState>(Counted(1000 + i)) { ETag = i % 2 == 0 ? s.State.ETag : "999" })).ToList();
        var results = await Task.WhenAll(second.Select(async s =>
        {
            try
            {
                await _storage.WriteStateAsync("customer", s.Id, s.State);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        Assert.Equal(Enumerable.Range(0, 200).Select(i => i % 2 == 0), results);
        for (var i = 0; i < 200; i += 37)
        {
            var read = new GrainState<CustomerState>(new CustomerState());
            await _storage.ReadStateAsync("customer", states[i].Id, read);
            Assert.Equal(i % 2 == 0 ? 1000 + i : i, read.State!.Profile!.EventCount);
        }
    }

    [Fact]
    public async Task ClearedStateIsGone()
    {
        var id = GrainId.Create("customer", "t1/dave");
        var state = new GrainState<CustomerState>(Counted(1));
        await _storage.WriteStateAsync("customer", id, state);
        await _storage.ClearStateAsync("customer", id, state);

        var read = new GrainState<CustomerState>(new CustomerState());
        await _storage.ReadStateAsync("customer", id, read);
        Assert.False(read.RecordExists);
    }

    private static CustomerState Counted(long events) => new() { Profile = new CustomerProfile { EventCount = events } };
}
