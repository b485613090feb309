using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace RetentionPlatform.Postgres.Tests;

[Collection(SharedPostgresServer.Name)]
public sealed class LocalPostgresServerTests(PostgresFixture fixture)
{
    [Fact]
    public async Task StartedServerAnswersSelectOne()
    {
        var one = await Db.ScalarAsync<int>(fixture.Server.GetConnectionString("postgres"), "select 1");

        Assert.Equal(1, one);
    }

    [Fact]
    public async Task RequestedDatabasesAreCreated()
    {
        var databases = await Db.ColumnAsync<string>(fixture.DataSource, "select datname from pg_database order by datname");
        var current = await Db.ScalarAsync<string>(fixture.Server.GetConnectionString("analytics"), "select current_database()");

        Assert.Contains("retention", databases);
        Assert.Contains("analytics", databases);
        Assert.Equal("analytics", current);
    }

    [Fact]
    public async Task ServerListensOnlyOnLoopbackWithDevTuningAndDurableWrites()
    {
        var settings = await Db.ColumnAsync<string>(
            fixture.DataSource,
            """
            select name || '=' || setting from pg_settings
            where name in ('listen_addresses', 'port', 'max_connections', 'shared_buffers', 'fsync', 'unix_socket_directories')
            order by name
            """);

        Assert.Equal(
            [
                "fsync=on",
                "listen_addresses=127.0.0.1",
                "max_connections=200",
                "port=" + fixture.Server.Port,
                "shared_buffers=16384",
                "unix_socket_directories=" + fixture.Server.DataDirectory,
            ],
            settings);
    }

    [Fact]
    public void ConnectionStringNamesLoopbackPortUserAndDatabase()
    {
        var builder = new NpgsqlConnectionStringBuilder(fixture.Server.GetConnectionString("retention"));

        Assert.Equal("127.0.0.1", fixture.Server.Host);
        Assert.Equal("127.0.0.1", builder.Host);
        Assert.Equal(fixture.Server.Port, builder.Port);
        Assert.Equal("postgres", builder.Username);
        Assert.Equal("retention", builder.Database);
    }

    [Fact]
    public async Task StartingOnABusyFixedPortFailsNamingThePort()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => LocalPostgresServer.StartAsync(new LocalPostgresOptions { Port = port }));

        Assert.Contains($"Port {port} ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidDatabaseNameIsRejectedBeforeAnythingStarts()
    {
        await Assert.ThrowsAsync<ArgumentException>(
            () => LocalPostgresServer.StartAsync(new LocalPostgresOptions { Databases = [""] }));
    }
}
