using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using RetentionPlatform.Postgres;
using RetentionPlatform.Recommendations.Infrastructure;
using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.Benchmarks;

/// <summary>
/// Puts a shop into a Recommendations database the fast way: the service's own migrations, then binary COPY into
/// <c>recommendations.items</c> and <c>recommendations.interactions</c> (what the service would have recorded).
/// </summary>
internal static class DatabaseLoad
{
    public const string Schema = "recommendations";

    public static async Task MigrateAsync(NpgsqlDataSource dataSource) =>
        await PostgresMigrator.MigrateAsync(
            dataSource,
            Schema,
            Migration.FromEmbeddedResources(typeof(RecommendationsServiceExtensions).Assembly),
            NullLogger.Instance,
            CancellationToken.None);

    public static async Task<TimeSpan> CopyItemsAsync(NpgsqlDataSource dataSource, string tenantId, SyntheticShop shop)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var importer = await connection.BeginBinaryImportAsync(
            "copy recommendations.items (tenant_id, item_id, name, category, price, available, hidden, removed, created_at, updated_at) from stdin (format binary)"))
        {
            foreach (var item in shop.Items)
            {
                importer.StartRow();
                importer.Write(tenantId, NpgsqlDbType.Text);
                importer.Write(item.ItemId, NpgsqlDbType.Text);
                importer.Write(item.Name, NpgsqlDbType.Text);
                importer.Write(item.Category, NpgsqlDbType.Text);
                importer.Write(item.Price!.Value, NpgsqlDbType.Numeric);
                importer.Write(item.Available, NpgsqlDbType.Boolean);
                importer.Write(item.Hidden, NpgsqlDbType.Boolean);
                importer.Write(false, NpgsqlDbType.Boolean);
                importer.Write(item.CreatedAt, NpgsqlDbType.TimestampTz);
                importer.Write(item.CreatedAt, NpgsqlDbType.TimestampTz);
            }

            await importer.CompleteAsync();
        }

        return stopwatch.Elapsed;
    }

    public static async Task<TimeSpan> CopyInteractionsAsync(NpgsqlDataSource dataSource, string tenantId, SyntheticShop shop)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var importer = await connection.BeginBinaryImportAsync(
            "copy recommendations.interactions (tenant_id, event_id, item_id, customer_id, kind, occurred_at) from stdin (format binary)"))
        {
            for (var i = 0; i < shop.History.Length; i++)
            {
                var interaction = shop.History[i];
                importer.StartRow();
                importer.Write(tenantId, NpgsqlDbType.Text);
                importer.Write(shop.HistoryEventIds[i], NpgsqlDbType.Text);
                importer.Write(interaction.ItemId, NpgsqlDbType.Text);
                importer.Write(interaction.CustomerId, NpgsqlDbType.Text);
                importer.Write((short)interaction.Kind, NpgsqlDbType.Smallint);
                importer.Write(interaction.OccurredAt, NpgsqlDbType.TimestampTz);
            }

            await importer.CompleteAsync();
        }

        return stopwatch.Elapsed;
    }

    /// <summary>How long the service's loader spends reading every interaction (its own query), without applying any.</summary>
    public static async Task<TimeSpan> TimeInteractionReadAsync(NpgsqlDataSource dataSource)
    {
        var stopwatch = Stopwatch.StartNew();
        var rows = 0L;
        await foreach (var _ in new RecommendationStore(dataSource).ReadInteractionsAsync(DateTimeOffset.UtcNow - new RecommenderOptions().ReplayWindow, CancellationToken.None))
        {
            rows++;
        }

        GC.KeepAlive(rows);
        return stopwatch.Elapsed;
    }

    /// <summary>Rows of the table for the tenant (a check that what was loaded is there).</summary>
    public static async Task<long> CountAsync(NpgsqlDataSource dataSource, string table, string tenantId)
    {
        await using var command = dataSource.CreateCommand($"select count(*) from {Schema}.{table} where tenant_id = $1");
        command.Parameters.Add(new() { Value = tenantId });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
