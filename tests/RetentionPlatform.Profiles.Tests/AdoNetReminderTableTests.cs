using Npgsql;

namespace RetentionPlatform.Profiles.Tests;

/// <summary>
/// Durable reminders: the silo's Orleans ADO.NET reminder table, round-tripping through the PostgreSQL table and
/// queries of migration 0002. Each test keeps to grains of its own.
/// </summary>
public sealed class AdoNetReminderTableTests(PostgresRemindersSiloFixture silo) : IClassFixture<PostgresRemindersSiloFixture>
{
    // Far in the future, so the silo's reminder service never fires these reminders at grains that do not exist.
    private static readonly DateTime FarFuture = new(2036, 11, 24, 9, 0, 0, DateTimeKind.Utc);

    private readonly string _owner = Guid.NewGuid().ToString("N");

    private IReminderTable Table => silo.Reminders;

    [Fact]
    public async Task AReminderReadsBackAsWrittenAndEveryUpsertGivesItANewEtag()
    {
        var grain = Grain("alice");
        var created = await Table.UpsertRow(Reminder(grain, "renewal", FarFuture, TimeSpan.FromHours(1)));

        // Thirty days is more milliseconds than an int holds: the provider then sends the period as a bigint.
        var replaced = await Table.UpsertRow(Reminder(grain, "renewal", FarFuture.AddDays(1), TimeSpan.FromDays(30)));
        await Table.UpsertRow(Reminder(grain, "birthday", FarFuture, TimeSpan.FromDays(1)));

        Assert.NotEqual(created, replaced);
        var read = Assert.IsType<ReminderEntry>(await Table.ReadRow(grain, "renewal"));
        Assert.Equal((grain, "renewal", FarFuture.AddDays(1), TimeSpan.FromDays(30), replaced), (read.GrainId, read.ReminderName, read.StartAt, read.Period, read.ETag));
        Assert.Equal(["birthday", "renewal"], (await Table.ReadRows(grain)).Reminders.Select(r => r.ReminderName).Order());
        Assert.Equal(2, await CountStoredAsync(grain));
    }

    [Fact]
    public async Task AnUnknownReminderReadsAsNothing()
    {
        Assert.Null(await Table.ReadRow(Grain("nobody"), "renewal"));
        Assert.Empty((await Table.ReadRows(Grain("nobody"))).Reminders);
    }

    [Fact]
    public async Task ARemovalNeedsTheCurrentEtag()
    {
        var grain = Grain("bob");
        var first = (await Table.UpsertRow(Reminder(grain, "renewal", FarFuture, TimeSpan.FromHours(1))))!;
        var current = (await Table.UpsertRow(Reminder(grain, "renewal", FarFuture, TimeSpan.FromHours(2))))!;

        Assert.False(await Table.RemoveRow(grain, "renewal", first));
        Assert.NotNull(await Table.ReadRow(grain, "renewal"));

        Assert.True(await Table.RemoveRow(grain, "renewal", current));
        Assert.Null(await Table.ReadRow(grain, "renewal"));
        Assert.False(await Table.RemoveRow(grain, "renewal", current));
    }

    [Theory]
    [InlineData(0x10000000u, 0x50000000u)]
    [InlineData(0x60000000u, 0xA0000000u)]
    [InlineData(0xE0000000u, 0x20000000u)]
    [InlineData(0x12345678u, 0x12345678u)]
    public async Task ARangeReadReturnsExactlyTheRemindersWhoseGrainHashLiesInThatSliceOfTheRing(uint begin, uint end)
    {
        // Quarter-ring slices: one plain, one across the signed boundary (the provider's wrapping query), one
        // across zero, and the whole ring. With 64 grains each slice holds some (all empty: odds about 1e-8).
        var grains = Enumerable.Range(0, 64).Select(i => Grain($"ring-{i}")).ToList();
        foreach (var grain in grains)
        {
            await Table.UpsertRow(Reminder(grain, "tick", FarFuture, TimeSpan.FromMinutes(5)));
        }

        var read = (await Table.ReadRows(begin, end)).Reminders.Select(r => r.GrainId).Where(grains.Contains).ToHashSet();

        var expected = grains.Where(g => InRing(g.GetUniformHashCode(), begin, end)).ToHashSet();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.OrderBy(g => g.ToString()), read.OrderBy(g => g.ToString()));
    }

    [Fact]
    public async Task ClearingTheTableRemovesEveryReminderOfTheServiceAndNoOtherServices()
    {
        var grain = Grain("carol");
        await Table.UpsertRow(Reminder(grain, "renewal", FarFuture, TimeSpan.FromHours(1)));
        await using (var dataSource = NpgsqlDataSource.Create(silo.ConnectionString))
        await using (var command = dataSource.CreateCommand(
            "insert into profiles.orleans_reminders (service_id, grain_id, reminder_name, start_time, period, grain_hash) values ('another-service', $1, 'renewal', now(), 1000, 0)"))
        {
            command.Parameters.AddWithValue(grain.ToString());
            await command.ExecuteNonQueryAsync();
        }

        await Table.TestOnlyClearTable();

        Assert.Empty((await Table.ReadRows(grain)).Reminders);
        Assert.Equal(1, await CountStoredAsync(grain));
    }

    private GrainId Grain(string name) => GrainId.Create("reminder-test", $"{_owner}/{name}");

    private static ReminderEntry Reminder(GrainId grain, string name, DateTime startAt, TimeSpan period) =>
        new() { GrainId = grain, ReminderName = name, StartAt = startAt, Period = period };

    // Orleans ring ranges are (begin, end] in unsigned order, wrapping past the largest hash; begin == end is the whole ring.
    private static bool InRing(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private async Task<long> CountStoredAsync(GrainId grain)
    {
        await using var dataSource = NpgsqlDataSource.Create(silo.ConnectionString);
        await using var command = dataSource.CreateCommand("select count(*) from profiles.orleans_reminders where grain_id = $1");
        command.Parameters.AddWithValue(grain.ToString());
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
