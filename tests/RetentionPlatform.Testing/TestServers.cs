using System.Net;
using System.Net.Sockets;
using Npgsql;
using RetentionPlatform.EventBus;
using RetentionPlatform.EventBus.EmbeddedBroker;
using RetentionPlatform.Postgres;

namespace RetentionPlatform.Testing;

/// <summary>
/// The test servers of one test run: a throwaway PostgreSQL started from the machine's binaries and an
/// embedded Kafka broker (real wire protocol), each started once per test process and shared. Tests keep
/// apart by using their own database (<see cref="CreateDatabaseAsync"/>) and their own topics and groups.
/// </summary>
public static class TestServers
{
    private static readonly Lazy<Task<LocalPostgresServer>> Postgres = new(
        () => LocalPostgresServer.StartAsync(new LocalPostgresOptions { Databases = ["tests"] }));

    private static readonly Lazy<EmbeddedKafkaBroker> Kafka = new(
        () => EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions { Topics = EventTopics.All }));

    static TestServers() =>
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Kafka.IsValueCreated)
            {
                Kafka.Value.Dispose();
            }

            if (Postgres.IsValueCreated)
            {
                Postgres.Value.GetAwaiter().GetResult().DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        };

    public static string KafkaBootstrapServers => Kafka.Value.BootstrapServers;

    public static EmbeddedKafkaBroker KafkaBroker => Kafka.Value;

    /// <summary>Creates a fresh database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var server = await Postgres.Value;
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)];
        await using (var admin = NpgsqlDataSource.Create(server.GetConnectionString("tests")))
        await using (var command = admin.CreateCommand($"create database \"{name}\""))
        {
            await command.ExecuteNonQueryAsync();
        }

        return server.GetConnectionString(name);
    }

    /// <summary>A loopback TCP port that was free a moment ago (for servers a test starts on a port it chooses).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A topic name no other test uses.</summary>
    public static string UniqueTopic(string prefix) => $"test.{prefix}.{Guid.NewGuid():N}";
}
