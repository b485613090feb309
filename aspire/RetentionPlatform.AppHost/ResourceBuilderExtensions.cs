using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace RetentionPlatform.AppHost;

/// <summary>Small additions to Aspire's resource builders used by the resource graph.</summary>
internal static class ResourceBuilderExtensions
{
    /// <summary>
    /// Gives the service its database's connection string (<c>ConnectionStrings__&lt;name&gt;</c>) and, when the AppHost
    /// runs the PostgreSQL server, starts the service only once that database is healthy. A server that already runs
    /// (local servers) is only a connection string from configuration: there is nothing to wait for.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDatabase(this IResourceBuilder<ProjectResource> builder, PlatformDatabase database)
    {
        builder.WithReference(database.Resource);
        return database.RunByTheAppHost ? builder.WaitFor(database.Resource) : builder;
    }
}
