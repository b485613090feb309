using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;
using RetentionPlatform.EventBus;
using RetentionPlatform.Profiles.Infrastructure;
using RetentionPlatform.Tenancy;
using RetentionPlatform.Testing;
using Xunit.Abstractions;

namespace RetentionPlatform.Profiles.Tests;

/// <summary>
/// Two Profiles silos, each an OS process of its own, clustered through PostgreSQL (ADO.NET membership configured
/// the way an Aspire AppHost configures it) and fed by Kafka. One is killed outright; the survivor must take over
/// every customer, those whose grains were active on the dead silo included, without losing or double-counting events.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes through IAsyncLifetime.DisposeAsync.")]
public sealed class TwoSiloFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Customers = 40;
    private const int EventsBeforeKill = 3;
    private const int EventsAfterKill = 2;
    private const string ServiceId = "retention-profiles-failover";
    private const int ActiveStatus = (int)SiloStatus.Active;
    private const int DeadStatus = (int)SiloStatus.Dead;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ApplyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FailoverTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly DateTimeOffset FirstEventAt = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private readonly string _tenant = $"failover-{Guid.NewGuid():N}"[..24];
    private readonly string _clusterId = $"failover-{Guid.NewGuid():N}";
    private readonly string _topic = TestServers.UniqueTopic("failover");
    private readonly string _group = $"profiles-failover-{Guid.NewGuid():N}";
    private readonly List<ProfilesServiceProcess> _silos = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private string _connectionString = "";
    private NpgsqlDataSource _database = null!;
    private IHost _publisher = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await TestServers.CreateDatabaseAsync("failover");
        _database = NpgsqlDataSource.Create(_connectionString);

        // Topics are provisioned by whoever runs the broker; this test's own, so no other test's events interfere.
        TestServers.KafkaBroker.CreateTopic(_topic, EventTopics.All[EventTopics.CustomerEvents]);
        TestServers.KafkaBroker.CreateTopic(EventTopics.DeadLetter(_group), 1);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration[$"ConnectionStrings:{KafkaOptions.ConnectionStringName}"] = TestServers.KafkaBootstrapServers;
        builder.Configuration["Kafka:Producer:linger.ms"] = "1";
        builder.AddKafkaEventBus();
        _publisher = builder.Build();
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            output.WriteLine($"--- {silo.Name} (silo port {silo.SiloPort}), last output lines:{Environment.NewLine}{silo.OutputTail(40)}");
            await silo.DisposeAsync();
        }

        _publisher.Dispose();
        _http.Dispose();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task KillingOneOfTwoSilosLeavesEveryCustomerReadableThroughTheSurvivorWithEveryEventCounted()
    {
        var test = Stopwatch.StartNew();
        await StartSilosAsync("silo-a", "silo-b");
        await WaitUntilAsync(
            "both silos are active in the membership table",
            async () => (await SilosWithStatusAsync(ActiveStatus)).SetEquals(_silos.Select(s => s.SiloPort)),
            StartTimeout);
        output.WriteLine($"Both silos active after {test.Elapsed.TotalSeconds:F1} s.");

        await PublishAsync(round: 0, EventsBeforeKill);
        await WaitForEveryCustomerAsync(_silos[0], EventsBeforeKill, ApplyTimeout);
        output.WriteLine($"Every customer has its first {EventsBeforeKill} events after {test.Elapsed.TotalSeconds:F1} s.");

        var placement = await CustomerActivationsBySiloPortAsync();
        var victim = _silos.MaxBy(s => placement.GetValueOrDefault(s.SiloPort))!;
        var survivor = _silos.Single(s => s != victim);
        output.WriteLine($"Customer activations before the kill: {string.Join(", ", _silos.Select(s => $"{s.Name} {placement.GetValueOrDefault(s.SiloPort)}"))}.");
        Assert.True(placement.GetValueOrDefault(victim.SiloPort) > 0, "No customer grain was active on the silo to be killed.");

        var failover = Stopwatch.StartNew();
        output.WriteLine($"Killing {victim.Name} at {DateTime.UtcNow:HH:mm:ss.fff}.");
        await victim.KillAsync();
        await PublishAsync(round: 1, EventsAfterKill);
        await WaitForEveryCustomerAsync(survivor, EventsBeforeKill + EventsAfterKill, FailoverTimeout);
        output.WriteLine($"Every customer complete on {survivor.Name} {failover.Elapsed.TotalSeconds:F1} s after {victim.Name} was killed.");

        await WaitUntilAsync(
            $"{victim.Name} is declared dead in the membership table",
            async () => (await SilosWithStatusAsync(DeadStatus)).Contains(victim.SiloPort),
            FailoverTimeout);
        Assert.False(survivor.HasExited);
        Assert.Equal([survivor.SiloPort], await SilosWithStatusAsync(ActiveStatus));
        output.WriteLine($"Test took {test.Elapsed.TotalSeconds:F1} s.");
    }

    private async Task StartSilosAsync(params string[] names)
    {
        var environment = SiloEnvironment();
        var starting = names.Select(name => ProfilesServiceProcess.StartHealthyAsync(name, environment, StartTimeout, CancellationToken.None)).ToList();
        try
        {
            await Task.WhenAll(starting);
        }
        finally
        {
            // Whatever started is killed by DisposeAsync, even when the other one failed.
            _silos.AddRange(starting.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
        }
    }

    /// <summary>The secret the silos check tenant signatures with; the test signs its REST reads as the gateway would.</summary>
    private static readonly string GatewaySecret = GatewayTrust.NewSecret();

    /// <summary>The Aspire contract (connection strings, Orleans__*), plus test-speed failure detection.</summary>
    private Dictionary<string, string> SiloEnvironment() => new()
    {
        [$"ConnectionStrings__{ProfilesServiceExtensions.DatabaseName}"] = _connectionString,
        [$"ConnectionStrings__{KafkaOptions.ConnectionStringName}"] = TestServers.KafkaBootstrapServers,
        ["Platform__GatewaySecret"] = GatewaySecret,
        ["Orleans__ClusterId"] = _clusterId,
        ["Orleans__ServiceId"] = ServiceId,
        ["Orleans__Clustering__ProviderType"] = OrleansProviders.AdoNetProviderType,
        ["Orleans__Clustering__Invariant"] = OrleansProviders.NpgsqlInvariant,
        ["Orleans__Clustering__ConnectionName"] = ProfilesServiceExtensions.DatabaseName,

        // Keep silo-to-silo traffic on loopback; by default a silo advertises the machine's first other address.
        ["Orleans__Endpoints__AdvertisedIPAddress"] = IPAddress.Loopback.ToString(),

        // A dead silo is declared dead within seconds instead of Orleans' default of about half a minute.
        ["Orleans__Membership__ProbeTimeout"] = "00:00:02",
        ["Orleans__Membership__NumMissedProbesLimit"] = "2",
        ["Orleans__Membership__NumVotesForDeathDeclaration"] = "1",
        ["Orleans__Membership__TableRefreshTimeout"] = "00:00:02",
        ["Orleans__Membership__IAmAliveTablePublishTimeout"] = "00:00:03",

        // The consumer group notices the killed member after a short session instead of librdkafka's 45 s.
        [$"Kafka__Consumers__{ProfilesServiceExtensions.ConsumerGroup}__Topic"] = _topic,
        [$"Kafka__Consumers__{ProfilesServiceExtensions.ConsumerGroup}__GroupId"] = _group,
        ["Kafka__Consumer__session.timeout.ms"] = "6000",
        ["Kafka__Consumer__heartbeat.interval.ms"] = "500",
        ["Kafka__Consumer__fetch.wait.max.ms"] = "50",

        // Until the killed silo is declared dead, calls to the grains it hosted fail at once. The consumer's default
        // budget (5 attempts, about 1.5 s of backoff) would dead-letter those events; 10 attempts (about 20 s)
        // outlast failure detection, so the survivor applies them once the grains are reactivated on it.
        [$"Kafka__Consumers__{ProfilesServiceExtensions.ConsumerGroup}__MaxAttempts"] = "10",

        ["Logging__Console__TimestampFormat"] = "HH:mm:ss.fff ",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Orleans.Runtime.MembershipService"] = "Information",
    };

    private async Task PublishAsync(int round, int eventsPerCustomer)
    {
        var publisher = _publisher.Services.GetRequiredService<IEventPublisher>();
        await Task.WhenAll(Enumerable.Range(0, Customers).Select(async customer =>
        {
            for (var i = 0; i < eventsPerCustomer; i++)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"{_tenant}-{customer}-{round}-{i}");
                var at = FirstEventAt.AddHours(round).AddMinutes(i);
                await publisher.PublishAsync(_topic, new EventEnvelope(id, "page_viewed", _tenant, CustomerId(customer), at, EventMessageCodec.CurrentSchemaVersion, "{}"u8.ToArray()));
            }
        }));
    }

    private async Task WaitForEveryCustomerAsync(ProfilesServiceProcess silo, long expectedEvents, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var counts = await Task.WhenAll(Enumerable.Range(0, Customers).Select(c => EventCountAsync(silo, CustomerId(c))));
            var wrong = counts.Select((count, c) => (Customer: CustomerId(c), Count: count)).Where(x => x.Count != expectedEvents).ToList();
            if (wrong.Count == 0)
            {
                return;
            }

            // More than expected means an event was applied twice: no amount of waiting fixes that.
            Assert.DoesNotContain(wrong, x => x.Count > expectedEvents);
            if (deadline.Elapsed > timeout || silo.HasExited)
            {
                Assert.Fail(
                    $"Through {silo.Name}, {wrong.Count} of {Customers} customers did not reach {expectedEvents} events within {timeout} " +
                    $"(customer: count, -1 unreadable): {string.Join(", ", wrong.Take(10).Select(x => $"{x.Customer}: {x.Count}"))}. " +
                    $"{ConsumerProgress()}.{Environment.NewLine}{silo.OutputTail()}");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>The customer's event count read over REST from one silo: 0 when unknown, -1 when it cannot be read now.</summary>
    private async Task<long> EventCountAsync(ProfilesServiceProcess silo, string customerId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(silo.HttpUrl, $"/v1/customers/{Uri.EscapeDataString(customerId)}"));
        request.Headers.Add(TenantHeaders.Tenant, _tenant);
        request.Headers.Add(TenantHeaders.GatewaySignature, new GatewayTrust(GatewaySecret).Sign(_tenant));
        try
        {
            using var response = await _http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return 0;
            }

            if (!response.IsSuccessStatusCode)
            {
                return -1;
            }

            using var profile = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
            return profile.RootElement.GetProperty("eventCount").GetInt64();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return -1;
        }
    }

    /// <summary>Where this test's customer grains are active, asked of the cluster through an Orleans client.</summary>
    private async Task<Dictionary<int, int>> CustomerActivationsBySiloPortAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (_clusterId, ServiceId));
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = OrleansProviders.NpgsqlInvariant;
                options.ConnectionString = OrleansProviders.WithProfilesSearchPath(_connectionString);
            });
        });
        using var client = builder.Build();
        await client.StartAsync();
        try
        {
            var statistics = await client.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
            return statistics
                .Where(s => s.GrainId.Key.ToString()!.StartsWith($"{_tenant}/", StringComparison.Ordinal))
                .GroupBy(s => s.SiloAddress.Endpoint.Port)
                .ToDictionary(g => g.Key, g => g.Count());
        }
        finally
        {
            await client.StopAsync();
        }
    }

    /// <summary>For failure messages: how far the silos' consumer group got per partition, and what it dead-lettered.</summary>
    private string ConsumerProgress()
    {
        var timeout = TimeSpan.FromSeconds(10);
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = TestServers.KafkaBootstrapServers, GroupId = _group }).Build();
        var partitions = Enumerable.Range(0, EventTopics.All[EventTopics.CustomerEvents]).Select(p => new TopicPartition(_topic, p)).ToList();
        var progress = consumer.Committed(partitions, timeout).Select(c =>
            $"{c.Partition.Value}: {c.Offset.Value}/{consumer.QueryWatermarkOffsets(c.TopicPartition, timeout).High.Value}");
        var deadLettered = consumer.QueryWatermarkOffsets(new TopicPartition(EventTopics.DeadLetter(_group), 0), timeout).High.Value;
        return $"Consumer group offsets (partition: committed/end): {string.Join(", ", progress)}; dead-lettered: {deadLettered}";
    }

    private async Task<HashSet<int>> SilosWithStatusAsync(int status)
    {
        await using var command = _database.CreateCommand("select port from profiles.orleans_membership where deployment_id = $1 and status = $2");
        command.Parameters.AddWithValue(_clusterId);
        command.Parameters.AddWithValue(status);
        var ports = new HashSet<int>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ports.Add(reader.GetInt32(0));
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // The silos have not migrated the schema yet.
        }

        return ports;
    }

    private async Task WaitUntilAsync(string what, Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout)
            {
                Assert.Fail($"Not within {timeout}: {what}.{Environment.NewLine}{string.Join(Environment.NewLine, _silos.Select(s => $"--- {s.Name}:{Environment.NewLine}{s.OutputTail()}"))}");
            }

            await Task.Delay(PollInterval);
        }
    }

    private static string CustomerId(int customer) => string.Create(CultureInfo.InvariantCulture, $"customer-{customer:D3}");
}
