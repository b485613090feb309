using System.Data.Common;
using Npgsql;
using Orleans.Configuration;

namespace RetentionPlatform.Profiles.Infrastructure;

/// <summary>
/// The silo's PostgreSQL-backed Orleans providers: cluster membership (when configured) and durable reminders,
/// both through Orleans' ADO.NET providers on the tables and queries of migration 0002.
/// </summary>
/// <remarks>
/// Clustering follows the Aspire contract: <c>Orleans:Clustering:ProviderType=AdoNet</c>, <c>Invariant=Npgsql</c> and
/// <c>ConnectionName=profilesdb</c>. <c>UseOrleans</c> binds that section itself (Orleans' own provider builder
/// calls <c>UseAdoNetClustering</c> with the named connection string), so this class does not register the provider
/// a second time; it only completes the options that binding leaves as they are. Reminders are always ADO.NET on
/// <c>profilesdb</c> unless <c>Orleans:Reminders:ProviderType</c> names another provider, which Orleans then binds.
/// </remarks>
public static class OrleansProviders
{
    /// <summary>The provider type name under which Orleans registers its ADO.NET providers.</summary>
    public const string AdoNetProviderType = "AdoNet";

    /// <summary>The ADO.NET invariant of Npgsql.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    /// <summary>The schema that holds the Orleans tables and the <c>OrleansQuery</c> table.</summary>
    public const string Schema = "profiles";

    /// <summary>Most connections each ADO.NET provider keeps open (unless the connection string says otherwise).</summary>
    public const int ProviderPoolSize = 20;

    private const string DefaultClusterId = "retention";
    private const string DefaultServiceId = "retention-profiles";

    /// <summary>
    /// Adds durable reminders, completes ADO.NET clustering when it is configured, and binds
    /// <see cref="ClusterMembershipOptions"/> from <c>Orleans:Membership</c> (Orleans' defaults for whatever is not set).
    /// </summary>
    public static ISiloBuilder AddProfilesOrleansProviders(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        var orleans = configuration.GetSection("Orleans");

        // Failure detection timings (ProbeTimeout, NumMissedProbesLimit, TableRefreshTimeout, ...).
        silo.Services.AddOptions<ClusterMembershipOptions>().Bind(orleans.GetSection("Membership"));

        if (IsAdoNet(orleans["Clustering:ProviderType"]))
        {
            silo.Services.PostConfigure<AdoNetClusteringSiloOptions>(options =>
            {
                options.Invariant = string.IsNullOrEmpty(options.Invariant) ? NpgsqlInvariant : options.Invariant;
                options.ConnectionString = ForOrleansProvider(options.Invariant, options.ConnectionString, options.DataSource, configuration);
            });

            // Unset, Orleans would call both "default"; keep the ids the single-silo host uses.
            if (string.IsNullOrEmpty(orleans["ClusterId"]))
            {
                silo.Services.Configure<ClusterOptions>(options => options.ClusterId = DefaultClusterId);
            }

            if (string.IsNullOrEmpty(orleans["ServiceId"]))
            {
                silo.Services.Configure<ClusterOptions>(options => options.ServiceId = DefaultServiceId);
            }
        }

        var remindersProvider = orleans["Reminders:ProviderType"];
        if (string.IsNullOrEmpty(remindersProvider))
        {
            silo.UseAdoNetReminderService(options => options.Invariant = NpgsqlInvariant);
        }

        if (string.IsNullOrEmpty(remindersProvider) || IsAdoNet(remindersProvider))
        {
            silo.Services.PostConfigure<AdoNetReminderTableOptions>(options =>
            {
                options.Invariant = string.IsNullOrEmpty(options.Invariant) ? NpgsqlInvariant : options.Invariant;
                options.ConnectionString = ForOrleansProvider(options.Invariant, options.ConnectionString, options.DataSource, configuration);
            });
        }

        return silo;
    }

    /// <summary>
    /// The connection string an Orleans ADO.NET provider should use against the Profiles database:
    /// <paramref name="connectionString"/> with <c>Search Path=profiles</c> unless it names a search path itself,
    /// because the providers look up <c>OrleansQuery</c> without a schema.
    /// </summary>
    public static string WithProfilesSearchPath(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.SearchPath))
        {
            builder.SearchPath = Schema;
        }

        // Membership and reminders need a handful of connections; at the default of 100 per pool, a busy silo's
        // providers plus its grain storage ran the standalone PostgreSQL (200 connections) out of connections.
        if (!connectionString.Contains("Pool Size", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxPoolSize = ProviderPoolSize;
        }

        return builder.ConnectionString;
    }

    private static bool IsAdoNet(string? providerType) =>
        string.Equals(providerType, AdoNetProviderType, StringComparison.OrdinalIgnoreCase);

    private static string? ForOrleansProvider(string invariant, string? connectionString, DbDataSource? dataSource, IConfiguration configuration)
    {
        // Another database engine, or a data source supplied in code: not ours to adjust.
        if (!string.Equals(invariant, NpgsqlInvariant, StringComparison.Ordinal) || dataSource is not null)
        {
            return connectionString;
        }

        var resolved = string.IsNullOrEmpty(connectionString)
            ? configuration.GetConnectionString(ProfilesServiceExtensions.DatabaseName)
            : connectionString;
        return resolved is null ? null : WithProfilesSearchPath(resolved);
    }
}
