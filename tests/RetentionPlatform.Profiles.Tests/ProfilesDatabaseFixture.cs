using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using RetentionPlatform.Postgres;
using RetentionPlatform.Profiles.Infrastructure;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Profiles.Tests;

/// <summary>A fresh database with the Profiles schema migrated (every embedded migration), shared by the tests of a class.</summary>
public sealed class ProfilesDatabaseFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestServers.CreateDatabaseAsync("membership");
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        await PostgresMigrator.MigrateAsync(
            DataSource, OrleansProviders.Schema, Migration.FromEmbeddedResources(typeof(OrleansProviders).Assembly), NullLogger.Instance, default);
    }

    public async Task DisposeAsync() => await DataSource.DisposeAsync();
}
