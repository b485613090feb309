using Npgsql;

namespace RetentionPlatform.Postgres.Tests;

/// <summary>One throwaway server shared by the tests of <see cref="SharedPostgresServer"/>.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private LocalPostgresServer? _server;
    private NpgsqlDataSource? _dataSource;

    public LocalPostgresServer Server => _server ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>A data source for the database "retention".</summary>
    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("The fixture is not initialised.");

    public async Task InitializeAsync()
    {
        _server = await LocalPostgresServer.StartAsync(new LocalPostgresOptions { Databases = ["retention", "analytics"] });
        _dataSource = NpgsqlDataSource.Create(_server.GetConnectionString("retention"));
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
