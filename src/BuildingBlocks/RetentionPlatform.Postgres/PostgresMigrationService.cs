using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace RetentionPlatform.Postgres;

/// <summary>
/// Applies a schema's migrations when the host starts, before it serves requests; registered by
/// <see cref="PostgresMigrationServiceCollectionExtensions.AddPostgresMigrations"/>.
/// </summary>
public sealed class PostgresMigrationService(
    NpgsqlDataSource dataSource,
    string schema,
    IReadOnlyList<Migration> migrations,
    ILogger<PostgresMigrationService> logger) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) =>
        PostgresMigrator.MigrateAsync(dataSource, schema, migrations, logger, cancellationToken);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
