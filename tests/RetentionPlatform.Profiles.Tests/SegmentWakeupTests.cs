using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Profiles.Tests;

/// <summary>
/// The durable side of time-driven segments, on the real Profiles service (PostgreSQL grain storage, the wake-up
/// scanner, the outbox sink writing member lists): a customer whose grain was deactivated still leaves a segment
/// at the moment its time condition stops holding, because the wake-up time was stored with its state.
/// </summary>
public sealed class SegmentWakeupTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private NpgsqlDataSource _database = null!;

    private IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        var connectionString = await TestServers.CreateDatabaseAsync("wakeup");
        _database = NpgsqlDataSource.Create(connectionString);
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ProfilesServiceExtensions.DatabaseName}"] = connectionString,
            ["ConnectionStrings:kafka"] = TestServers.KafkaBootstrapServers,
            ["Orleans:Endpoints:SiloPort"] = TestServers.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:Endpoints:GatewayPort"] = TestServers.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:ServiceId"] = $"wakeup-{Guid.NewGuid():N}",
            ["Profiles:WakeupScanInterval"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.AddServiceDefaults();
        builder.AddProfilesServices();
        _app = builder.Build();
        _app.MapProfilesEndpoints();
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task ADeactivatedCustomerLeavesATimedSegmentWhenItsConditionExpires()
    {
        await Grains.GetGrain<ITenantGrain>("wake").DefineSegmentAsync(new SegmentDefinition("just-bought", "Bought in the last seconds", [new("lastOrderAt", "within", "PT3S")]));
        var customer = Grains.GetGrain<ICustomerGrain>(CustomerGrainKey.For("wake", "ann"));
        await customer.ApplyAsync([new CustomerEventData("o1", "order_placed", DateTimeOffset.UtcNow, """{"orderId":"o1","total":12}""")]);
        Assert.True(await IsMemberAsync("ann"));

        // No activation left to run a timer: only the wake-up time stored with the state can bring it back.
        var management = Grains.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);
        Assert.DoesNotContain(await management.GetDetailedGrainStatistics(), s => s.GrainId.ToString().EndsWith("wake/ann", StringComparison.Ordinal));

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await IsMemberAsync("ann"))
        {
            await Task.Delay(100, deadline.Token);
        }

        Assert.Empty((await customer.GetProfileAsync())!.Segments);

        // What is left to wake for is the churn check when the next order is overdue, weeks away.
        await using var command = _database.CreateCommand("select wake_at from profiles.grain_state where grain_id = 'customer/wake/ann'");
        Assert.True((DateTime)(await command.ExecuteScalarAsync())! > DateTime.UtcNow.AddDays(30));
    }

    [Fact]
    public async Task ASegmentDefinedAfterTheFactIsFilledWithTheCustomersWhoAlreadyQualify()
    {
        for (var i = 0; i < 30; i++)
        {
            var total = i % 3 == 0 ? 150 : 20;
            await Grains.GetGrain<ICustomerGrain>(CustomerGrainKey.For("backfill", $"c{i}"))
                .ApplyAsync([new CustomerEventData($"o{i}", "order_placed", DateTimeOffset.UtcNow, $$"""{"orderId":"o{{i}}","total":{{total}}}""")]);
        }

        // Nobody sends another event: defining the segment alone must evaluate every stored customer of the tenant.
        await Grains.GetGrain<ITenantGrain>("backfill").DefineSegmentAsync(new SegmentDefinition("big-spenders", "Spent 100 or more", [new("revenue", "gte", "100")]));

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await MembersAsync("backfill", "big-spenders") is var members && members.Count < 10)
        {
            await Task.Delay(100, deadline.Token);
        }

        Assert.Equal(Enumerable.Range(0, 30).Where(i => i % 3 == 0).Select(i => $"c{i}").Order(StringComparer.Ordinal), await MembersAsync("backfill", "big-spenders"));
    }

    private async Task<bool> IsMemberAsync(string customer) => (await MembersAsync("wake", "just-bought")).Contains(customer);

    private async Task<List<string>> MembersAsync(string tenant, string segment)
    {
        await using var command = _database.CreateCommand("select customer_id from profiles.segment_members where tenant_id = $1 and segment_id = $2 order by customer_id");
        command.Parameters.Add(new() { Value = tenant });
        command.Parameters.Add(new() { Value = segment });
        var members = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            members.Add(reader.GetString(0));
        }

        return members;
    }
}
