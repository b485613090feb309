using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Orleans;

namespace RetentionPlatform.AppHost;

/// <summary>
/// An Orleans provider on the ADO.NET (PostgreSQL) tables of the Profiles database, written the way Orleans 10.4.2
/// reads it. Aspire's own provider for a database resource writes <c>ProviderType=PostgresDatabase</c> (the resource's
/// type name) and a <c>ServiceKey</c>; Orleans 10.4.2 registers its ADO.NET providers only as <c>AdoNet</c> and needs
/// the ADO.NET invariant and the name of the connection string. This writes, per section (<c>Clustering</c>,
/// <c>Reminders</c>):
/// <c>Orleans__&lt;section&gt;__ProviderType=AdoNet</c>, <c>Orleans__&lt;section&gt;__Invariant=Npgsql</c>,
/// <c>Orleans__&lt;section&gt;__ConnectionName=&lt;database&gt;</c>, and references the database so
/// <c>ConnectionStrings__&lt;database&gt;</c> is set. The Profiles service completes the rest (its schema as the search
/// path: src/Profiles/RetentionPlatform.Profiles/Infrastructure/OrleansProviders.cs).
/// </summary>
/// <remarks>
/// Not used for grain storage: the customer grains' state is the service's own PostgreSQL storage, registered in code;
/// an Orleans grain storage section would register a second provider under the same name.
/// </remarks>
internal sealed class AdoNetOrleansProvider(IResourceBuilder<IResourceWithConnectionString> database) : IProviderConfiguration
{
    public void ConfigureResource<T>(IResourceBuilder<T> resourceBuilder, string configSectionPath)
        where T : IResourceWithEnvironment
    {
        var prefix = "Orleans__" + configSectionPath.Replace(":", "__", StringComparison.Ordinal);
        resourceBuilder
            .WithEnvironment(prefix + "__ProviderType", "AdoNet")
            .WithEnvironment(prefix + "__Invariant", "Npgsql")
            .WithEnvironment(prefix + "__ConnectionName", database.Resource.Name)
            .WithReference(database);
    }
}
