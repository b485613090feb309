using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace RetentionPlatform.Recommendations.Model;

/// <summary>Every tenant's model, each its own object: no tenant's items or signals can reach another's.</summary>
public sealed class Recommender(IOptions<RecommenderOptions> options)
{
    private readonly ConcurrentDictionary<string, TenantModel> _tenants = new(StringComparer.Ordinal);

    public Recommender(RecommenderOptions options) : this(Options.Create(options))
    {
    }

    /// <summary>The tenant's model, created empty on first use.</summary>
    public TenantModel For(string tenantId) => _tenants.GetOrAdd(tenantId, static (_, o) => new TenantModel(o), options.Value);

    /// <summary>The tenant's model if it has one (a read never creates a model).</summary>
    public TenantModel? Find(string tenantId) => _tenants.GetValueOrDefault(tenantId);

    public IReadOnlyCollection<string> Tenants => [.. _tenants.Keys];
}
