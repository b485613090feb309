using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RetentionPlatform.Profiles;

/// <summary>What the profile grains need from a silo's services.</summary>
public static class ProfileGrainsServiceCollectionExtensions
{
    /// <summary>Registers the tenant settings cache and a system clock (unless a test brought its own).</summary>
    public static IServiceCollection AddProfileGrains(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TenantConfigurationCache>();
        return services;
    }
}
