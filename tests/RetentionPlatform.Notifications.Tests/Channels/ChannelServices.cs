using Microsoft.Extensions.DependencyInjection;
using RetentionPlatform.Notifications.Channels;

namespace RetentionPlatform.Notifications.Tests.Channels;

/// <summary>A service provider with the channels registered the way the service registers them.</summary>
internal static class ChannelServices
{
    public static ServiceProvider Create(TimeProvider? time = null, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        // The test servers are on loopback, which production refuses (EgressGuardTests cover that).
        services.AddSingleton(new EgressGuard(allowPrivateNetworks: true));
        services.AddMessageChannels();
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
