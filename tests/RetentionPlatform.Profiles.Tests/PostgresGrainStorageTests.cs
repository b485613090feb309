using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Serialization;
using Orleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using RetentionPlatform.Postgres;
using RetentionPlatform.Profiles.Infrastructure;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Profiles.Tests;

public sealed class PostgresGrainStorageTests : IAsyncLifetime
{
    private static readonly GrainId Alice = GrainId.Create("customer", "t1/alice");

    private readonly ServiceProvider _serializers = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private NpgsqlDataSource _dataSource = null!;
    private PostgresGrainStorage _storage = null!;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await TestServers.CreateDatabaseAsync("profiles"));
        await PostgresMigrator.MigrateAsync(_dataSource, "profiles", Migration.FromEmbeddedResources(typeof(PostgresGrainStorage).Assembly), NullLogger.Instance, default);
        _storage = new PostgresGrainStorage(_dataSource, new OrleansGrainStorageSerializer(_serializers.GetRequiredService<Serializer>()));
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _serializers.DisposeAsync();
    }

    [Fact]
    public async Task WrittenStateReadsBackWithItsEtag()
    {
        var written = new GrainState<CustomerState>(new CustomerState { EventCount = 3, LastEventType = "order_placed", RecentEventIds = ["a", "b", "c"] });
        await _storage.WriteStateAsync("customer", Alice, written);

        var read = new GrainState<CustomerState>(new CustomerState());
        await _storage.ReadStateAsync("customer", Alice, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(3, read.State!.EventCount);
        Assert.Equal("order_placed", read.State!.LastEventType);
        Assert.Equal(["a", "b", "c"], read.State!.RecentEventIds);
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
        var first = new GrainState<CustomerState>(new CustomerState { EventCount = 1 });
        await _storage.WriteStateAsync("customer", id, first);
        var stale = new GrainState<CustomerState>(new CustomerState { EventCount = 99 }) { ETag = first.ETag };
        first.State!.EventCount = 2;
        await _storage.WriteStateAsync("customer", id, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("customer", id, stale));

        var read = new GrainState<CustomerState>(new CustomerState());
        await _storage.ReadStateAsync("customer", id, read);
        Assert.Equal(2, read.State!.EventCount);
    }

    [Fact]
    public async Task ASecondFirstWriteForTheSameGrainIsRefused()
    {
        var id = GrainId.Create("customer", "t1/carol");
        await _storage.WriteStateAsync("customer", id, new GrainState<CustomerState>(new CustomerState { EventCount = 1 }));

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => _storage.WriteStateAsync("customer", id, new GrainState<CustomerState>(new CustomerState { EventCount = 5 })));
    }

    [Fact]
    public async Task ClearedStateIsGone()
    {
        var id = GrainId.Create("customer", "t1/dave");
        var state = new GrainState<CustomerState>(new CustomerState { EventCount = 1 });
        await _storage.WriteStateAsync("customer", id, state);
        await _storage.ClearStateAsync("customer", id, state);

        var read = new GrainState<CustomerState>(new CustomerState());
        await _storage.ReadStateAsync("customer", id, read);
        Assert.False(read.RecordExists);
    }
}
