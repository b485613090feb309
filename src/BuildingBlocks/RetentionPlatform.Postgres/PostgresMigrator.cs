using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace RetentionPlatform.Postgres;

/// <summary>
/// Brings a service's schema up to date at start-up. Safe to run from several processes at once: they serialise on
/// a transaction-level advisory lock keyed by the schema name, and each migration is applied in one transaction
/// together with its row in <c>&lt;schema&gt;.schema_migrations</c>, so it is applied exactly once or not at all.
/// </summary>
public static partial class PostgresMigrator
{
    private const string LockNamespace = "RetentionPlatform.Postgres.PostgresMigrator:";

    /// <summary>
    /// Creates <paramref name="schema"/> and its history table when missing, then applies, in version order, every
    /// migration not yet recorded there. While a migration runs, <c>search_path</c> is <c>&lt;schema&gt;, public</c>,
    /// so its SQL may leave table names unqualified. Statements that cannot run inside a transaction (such as
    /// <c>create index concurrently</c>) are not supported.
    /// </summary>
    /// <exception cref="ArgumentException">The schema is not made of lowercase letters, digits and underscores, or
    /// the migrations' versions are not unique and positive.</exception>
    /// <exception cref="InvalidOperationException">A migration failed; it was rolled back.</exception>
    public static async Task MigrateAsync(
        NpgsqlDataSource dataSource,
        string schema,
        IReadOnlyList<Migration> migrations,
        ILogger logger,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ValidateSchema(schema);
        ArgumentNullException.ThrowIfNull(migrations);
        ArgumentNullException.ThrowIfNull(logger);
        var ordered = ValidateMigrations(migrations);

        var lockKey = LockKey(schema);
        var history = $"\"{schema}\".schema_migrations";
        var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var applied = await EnsureHistoryTableAsync(connection, schema, history, lockKey, ct).ConfigureAwait(false);
            var pending = ordered.Where(m => !applied.Contains(m.Version)).ToList();
            foreach (var migration in pending)
            {
                await ApplyAsync(connection, schema, history, lockKey, migration, logger, ct).ConfigureAwait(false);
            }

            LogUpToDate(logger, schema, ordered.Count, pending.Count);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="schema"/> is a plain lowercase identifier.</summary>
    internal static void ValidateSchema(string schema)
    {
        if (schema is null || !SchemaPattern().IsMatch(schema))
        {
            throw new ArgumentException(
                $"'{schema}' is not a valid schema name: use 1 to 63 lowercase letters, digits and underscores, starting with a letter or underscore.",
                nameof(schema));
        }
    }

    private static List<Migration> ValidateMigrations(IReadOnlyList<Migration> migrations)
    {
        foreach (var migration in migrations)
        {
            if (migration is null || migration.Version <= 0 || string.IsNullOrWhiteSpace(migration.Name) || migration.Sql is null)
            {
                throw new ArgumentException(
                    $"Migration {migration?.Version} '{migration?.Name}' needs a positive version, a name and SQL.", nameof(migrations));
            }
        }

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null
            ? [.. migrations.OrderBy(m => m.Version)]
            : throw new ArgumentException($"More than one migration has version {duplicate.Key}.", nameof(migrations));
    }

    private static async Task<HashSet<int>> EnsureHistoryTableAsync(
        NpgsqlConnection connection, string schema, string history, long lockKey, CancellationToken ct)
    {
        var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            await LockAsync(connection, transaction, lockKey, ct).ConfigureAwait(false);

            // Checking first instead of "create schema if not exists" lets a role without CREATE on the database
            // migrate a schema that an administrator created for it.
            var schemaExists = await ScalarAsync(
                connection, transaction, "select exists (select 1 from pg_namespace where nspname = $1)", ct, schema).ConfigureAwait(false);
            if (schemaExists is not true)
            {
                await ExecuteAsync(connection, transaction, $"create schema \"{schema}\"", ct).ConfigureAwait(false);
            }

            await ExecuteAsync(
                connection,
                transaction,
                $"create table if not exists {history} (version integer primary key, name text not null, applied_at timestamptz not null default now())",
                ct).ConfigureAwait(false);

            var applied = new HashSet<int>();
            var select = new NpgsqlCommand($"select version from {history}", connection, transaction);
            await using (select.ConfigureAwait(false))
            {
                var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        applied.Add(reader.GetInt32(0));
                    }
                }
            }

            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return applied;
        }
    }

    private static async Task ApplyAsync(
        NpgsqlConnection connection, string schema, string history, long lockKey, Migration migration, ILogger logger, CancellationToken ct)
    {
        var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            await LockAsync(connection, transaction, lockKey, ct).ConfigureAwait(false);

            // Another process may have applied it while this one waited for the lock.
            var alreadyApplied = await ScalarAsync(
                connection, transaction, $"select exists (select 1 from {history} where version = $1)", ct, migration.Version).ConfigureAwait(false);
            if (alreadyApplied is true)
            {
                LogAppliedElsewhere(logger, schema, migration.Version, migration.Name);
                return;
            }

            LogApplying(logger, schema, migration.Version, migration.Name);
            var stopwatch = Stopwatch.StartNew();
            try
            {
                await ExecuteAsync(connection, transaction, $"set local search_path to \"{schema}\", public", ct).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, migration.Sql, ct).ConfigureAwait(false);
                await ExecuteAsync(
                    connection, transaction, $"insert into {history} (version, name) values ($1, $2)", ct, migration.Version, migration.Name)
                    .ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
            }
            catch (PostgresException e)
            {
                LogFailed(logger, e, schema, migration.Version, migration.Name);
                throw new InvalidOperationException(
                    $"Migration {migration.Version} '{migration.Name}' of schema '{schema}' failed and was rolled back: {e.Message}", e);
            }

            LogApplied(logger, schema, migration.Version, migration.Name, stopwatch.ElapsedMilliseconds);
        }
    }

    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long lockKey, CancellationToken ct) =>
        await ExecuteAsync(connection, transaction, "select pg_advisory_xact_lock($1)", ct, lockKey).ConfigureAwait(false);

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct, params object[] parameters)
    {
        var command = CreateCommand(connection, transaction, sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private static async Task<object?> ScalarAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct, params object[] parameters)
    {
        var command = CreateCommand(connection, transaction, sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
        }
    }

    private static NpgsqlCommand CreateCommand(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, object[] parameters)
    {
        // Waiting for another process's migrations and running long ones are bounded by the caller's token instead.
        var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return command;
    }

    // FNV-1a: stable across processes and runtimes, unlike string.GetHashCode.
    private static long LockKey(string schema)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(LockNamespace + schema))
        {
            hash = unchecked((hash ^ b) * 1099511628211UL);
        }

        return unchecked((long)hash);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaPattern();

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Applying migration {Version} {Name} to schema {Schema}")]
    private static partial void LogApplying(ILogger logger, string schema, int version, string name);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Applied migration {Version} {Name} to schema {Schema} in {ElapsedMilliseconds} ms")]
    private static partial void LogApplied(ILogger logger, string schema, int version, string name, long elapsedMilliseconds);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Migration {Version} {Name} of schema {Schema} was applied by another process meanwhile")]
    private static partial void LogAppliedElsewhere(ILogger logger, string schema, int version, string name);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "Migration {Version} {Name} of schema {Schema} failed and was rolled back")]
    private static partial void LogFailed(ILogger logger, Exception exception, string schema, int version, string name);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Schema {Schema} is up to date: {Known} migrations known, {Pending} were pending")]
    private static partial void LogUpToDate(ILogger logger, string schema, int known, int pending);
}
