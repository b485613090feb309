using System.Net;
using Npgsql;
using static RetentionPlatform.Events.Tests.TestEvents;

namespace RetentionPlatform.Events.Tests;

/// <summary>What partners are told when PostgreSQL or Kafka fails, and that following the advice loses and repeats nothing.</summary>
public sealed class IngestionFailureTests
{
    [Fact]
    public async Task WhenPostgreSqlIsUnreachableTheRequestIs503WithRetryAfterAndNothingIsPublished()
    {
        await using var service = await EventsServiceHost.StartAsync();
        var tenant = NewTenant();
        var database = new NpgsqlConnectionStringBuilder(service.ConnectionString).Database!;
        await using var admin = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(service.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);

        await ExecuteAsync(admin, $"""alter database "{database}" allow_connections false""");
        await ExecuteAsync(admin, $"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{database}'");
        try
        {
            using var single = await service.PostAsync("/v1/events", tenant, Event("pg-1"));
            using var batch = await service.PostAsync("/v1/events/batch", tenant, Batch(Event("pg-2"), Event("pg-3")));

            await AssertProblemAsync(HttpStatusCode.ServiceUnavailable, single);
            await AssertProblemAsync(HttpStatusCode.ServiceUnavailable, batch);
            Assert.NotNull(single.Headers.RetryAfter);
            Assert.NotNull(batch.Headers.RetryAfter);
            Assert.Empty(CustomerEventsTopic.Read(tenant));
        }
        finally
        {
            await ExecuteAsync(admin, $"""alter database "{database}" allow_connections true""");
        }

        // Back up, the same requests go through: nothing was recorded as received while it was down.
        using var retried = await service.PostAsync("/v1/events/batch", tenant, Batch(Event("pg-1"), Event("pg-2"), Event("pg-3")));
        await AssertJsonAsync("""
            {"accepted":3,"duplicates":0,"invalid":0,"results":[
              {"index":0,"eventId":"pg-1","status":"accepted"},
              {"index":1,"eventId":"pg-2","status":"accepted"},
              {"index":2,"eventId":"pg-3","status":"accepted"}
            ]}
            """, retried);
    }

    [Fact]
    public async Task WhenSomeEventsOfABatchCannotBePublishedItIs503AndSendingTheSameBatchAgainRepublishesNothing()
    {
        // The producer refuses messages above 4,000 bytes, so the large event fails while the small ones go out.
        await using var service = await EventsServiceHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Kafka:Producer:message.max.bytes"] = "4000",
        });
        var tenant = NewTenant();
        var large = $$$"""{"eventId":"large","type":"identify","customerId":"c-1","properties":{"note":"{{{new string('x', 8000)}}}"}}""";
        var batch = Batch(Event("small-1"), large, Event("small-2", "c-2"));

        using var first = await service.PostAsync("/v1/events/batch", tenant, batch);
        using var resent = await service.PostAsync("/v1/events/batch", tenant, batch);
        using var smallOnes = await service.PostAsync("/v1/events/batch", tenant, Batch(Event("small-1"), Event("small-2", "c-2")));

        var problem = await AssertProblemAsync(HttpStatusCode.ServiceUnavailable, first);
        Assert.Contains("Sending the same batch again is safe", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.NotNull(first.Headers.RetryAfter);
        await AssertProblemAsync(HttpStatusCode.ServiceUnavailable, resent);
        await AssertJsonAsync("""
            {"accepted":0,"duplicates":2,"invalid":0,"results":[
              {"index":0,"eventId":"small-1","status":"duplicate"},
              {"index":1,"eventId":"small-2","status":"duplicate"}
            ]}
            """, smallOnes);
        Assert.Equal(["small-1", "small-2"], CustomerEventsTopic.EventIds(tenant));
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
