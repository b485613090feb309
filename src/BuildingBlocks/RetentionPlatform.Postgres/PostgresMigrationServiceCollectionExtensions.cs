using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace RetentionPlatform.Postgres;

/// <summary>Registers <see cref="PostgresMigrationService"/>.</summary>
public static class PostgresMigrationServiceCollectionExtensions
{
    /// <summary>
    /// Migrates <paramref name="schema"/> at host start with the SQL files embedded in
    /// <paramref name="migrationsAssembly"/> (see <see cref="Migration.FromEmbeddedResources"/>), using the
    /// <see cref="NpgsqlDataSource"/> registered in the container. May be called once per schema.
    /// </summary>
    public static IServiceCollection AddPostgresMigrations(this IServiceCollection services, string schema, Assembly migrationsAssembly)
    {
        ArgumentNullException.ThrowIfNull(services);
        PostgresMigrator.ValidateSchema(schema);
        ArgumentNullException.ThrowIfNull(migrationsAssembly);

        var migrations = Migration.FromEmbeddedResources(migrationsAssembly);
        if (migrations.Count == 0)
        {
            throw new InvalidOperationException(
                $"{migrationsAssembly.GetName().Name} embeds no resource named like '*.Migrations.<NNNN>_<name>.sql'; " +
                "add <EmbeddedResource Include=\"Migrations/*.sql\" /> to its project file.");
        }

        // Not AddHostedService: it registers one service per implementation type, and each schema needs its own.
        services.AddSingleton<IHostedService>(provider => new PostgresMigrationService(
            provider.GetRequiredService<NpgsqlDataSource>(),
            schema,
            migrations,
            provider.GetRequiredService<ILogger<PostgresMigrationService>>()));
        return services;
    }
}
