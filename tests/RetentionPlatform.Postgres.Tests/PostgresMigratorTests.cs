using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace RetentionPlatform.Postgres.Tests;

[Collection(SharedPostgresServer.Name)]
public sealed class PostgresMigratorTests(PostgresFixture fixture)
{
    private static readonly Migration[] Counters =
    [
        new(1, "create_counters", "create table counters (n integer not null)"),
        new(2, "first_counter", "insert into counters values (1); select pg_sleep(0.2)"),
        new(3, "second_counter", "insert into counters values (2)"),
    ];

    [Fact]
    public async Task MigrationsRunTwiceApplyOnce()
    {
        var schema = Db.NewSchema("twice");

        await MigrateAsync(schema, Counters);
        await MigrateAsync(schema, Counters);

        Assert.Equal([1, 2, 3], await AppliedVersionsAsync(schema));
        Assert.Equal([1, 2], await Db.ColumnAsync<int>(fixture.DataSource, $"select n from {schema}.counters order by n"));
    }

    [Fact]
    public async Task MigrationsRunConcurrentlyFromTwoTasksApplyOnce()
    {
        var schema = Db.NewSchema("race");

        await Task.WhenAll(
            Task.Run(() => MigrateAsync(schema, Counters)),
            Task.Run(() => MigrateAsync(schema, Counters)));

        Assert.Equal([1, 2, 3], await AppliedVersionsAsync(schema));
        Assert.Equal([1, 2], await Db.ColumnAsync<int>(fixture.DataSource, $"select n from {schema}.counters order by n"));
    }

    [Fact]
    public async Task NewMigrationsAreAppliedOnTopOfEarlierOnes()
    {
        var schema = Db.NewSchema("grow");

        await MigrateAsync(schema, Counters[..1]);
        await MigrateAsync(schema, Counters);

        Assert.Equal([1, 2, 3], await AppliedVersionsAsync(schema));
    }

    [Fact]
    public async Task FailingMigrationRollsBackAndLeavesNoHistoryRow()
    {
        var schema = Db.NewSchema("broken");
        Migration[] migrations =
        [
            Counters[0],
            new(2, "half_done", "create table leftovers (id int); select 1 / 0"),
        ];

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => MigrateAsync(schema, migrations));

        Assert.Contains("half_done", error.Message, StringComparison.Ordinal);
        Assert.IsType<PostgresException>(error.InnerException);
        Assert.Equal([1], await AppliedVersionsAsync(schema));
        Assert.False(await Db.ScalarAsync<bool>(fixture.DataSource, $"select to_regclass('{schema}.leftovers') is not null"));
    }

    [Fact]
    public async Task FixedMigrationIsAppliedAfterAFailure()
    {
        var schema = Db.NewSchema("retry");
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => MigrateAsync(schema, [new Migration(1, "broken", "create table t (id int); select 1 / 0")]));

        await MigrateAsync(schema, [new Migration(1, "fixed", "create table t (id int)")]);

        Assert.Equal([1], await AppliedVersionsAsync(schema));
        Assert.True(await Db.ScalarAsync<bool>(fixture.DataSource, $"select to_regclass('{schema}.t') is not null"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Customers")]
    [InlineData("1customers")]
    [InlineData("customer-events")]
    [InlineData("x; drop schema public cascade; --")]
    [InlineData("a_name_that_is_far_too_long_for_a_postgresql_identifier_of_63_chars")]
    public async Task InvalidSchemaNameIsRejected(string schema)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => MigrateAsync(schema, Counters));
    }

    [Fact]
    public async Task DuplicateMigrationVersionsAreRejected()
    {
        Migration[] migrations = [new(1, "a", "select 1"), new(1, "b", "select 2")];

        await Assert.ThrowsAsync<ArgumentException>(() => MigrateAsync(Db.NewSchema("dup"), migrations));
    }

    [Fact]
    public void EmbeddedMigrationsLoadInVersionOrder()
    {
        var migrations = Migration.FromEmbeddedResources(typeof(PostgresMigratorTests).Assembly);

        Assert.Equal([(1, "create_accounts"), (2, "seed_accounts")], migrations.Select(m => (m.Version, m.Name)));
        Assert.Contains("create table accounts", migrations[0].Sql, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostedServicesApplyEmbeddedMigrationsForEachRegisteredSchema()
    {
        var (first, second) = (Db.NewSchema("svc"), Db.NewSchema("svc"));
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(fixture.DataSource)
            .AddPostgresMigrations(first, typeof(PostgresMigratorTests).Assembly)
            .AddPostgresMigrations(second, typeof(PostgresMigratorTests).Assembly);
        await using var provider = services.BuildServiceProvider();

        var hostedServices = provider.GetServices<IHostedService>().ToList();
        foreach (var hostedService in hostedServices)
        {
            await hostedService.StartAsync(CancellationToken.None);
        }

        Assert.Equal(2, hostedServices.Count);
        Assert.Equal("first", await Db.ScalarAsync<string>(fixture.DataSource, $"select name from {first}.accounts"));
        Assert.Equal("first", await Db.ScalarAsync<string>(fixture.DataSource, $"select name from {second}.accounts"));
        Assert.Equal(
            ["create_accounts", "seed_accounts"],
            await Db.ColumnAsync<string>(fixture.DataSource, $"select name from {first}.schema_migrations order by version"));
    }

    [Fact]
    public void RegisteringAnAssemblyWithoutMigrationsFails()
    {
        Assert.Throws<InvalidOperationException>(
            () => new ServiceCollection().AddPostgresMigrations("empty", typeof(LocalPostgresServer).Assembly));
    }

    private Task MigrateAsync(string schema, IReadOnlyList<Migration> migrations) =>
        PostgresMigrator.MigrateAsync(fixture.DataSource, schema, migrations, NullLogger.Instance, CancellationToken.None);

    private Task<List<int>> AppliedVersionsAsync(string schema) =>
        Db.ColumnAsync<int>(fixture.DataSource, $"select version from {schema}.schema_migrations order by version");
}
