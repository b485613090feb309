using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Channels;

/// <summary>Registers the delivery channels.</summary>
public static class MessageChannelsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="EmailChannel"/>, <see cref="WebhookChannel"/> and an <see cref="HttpProviderChannel"/> for
    /// SMS and for push as singleton <see cref="IMessageChannel"/>s, their named HTTP clients, and
    /// <see cref="ChannelRegistry"/>. Uses the registered <see cref="TimeProvider"/> (the system clock when none is).
    /// </summary>
    public static IServiceCollection AddMessageChannels(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new EgressGuard(provider.GetService<IOptions<NotificationsOptions>>()?.Value.AllowPrivateNetworkEndpoints ?? false));

        AddChannelHttpClient(services, WebhookChannel.HttpClientName);
        AddChannelHttpClient(services, HttpProviderChannel.HttpClientName);

        services.AddSingleton<EmailChannel>();
        services.AddSingleton<IMessageChannel>(provider => provider.GetRequiredService<EmailChannel>());
        services.AddSingleton<IMessageChannel, WebhookChannel>();
        services.AddSingleton<IMessageChannel>(provider => CreateProvider(provider, NotificationChannel.Sms));
        services.AddSingleton<IMessageChannel>(provider => CreateProvider(provider, NotificationChannel.Push));
        services.AddSingleton<ChannelRegistry>();
        return services;
    }

    private static void AddChannelHttpClient(IServiceCollection services, string name) =>
        services.AddHttpClient(name, client => client.Timeout = HttpEndpointPoster.Timeout)
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var guard = provider.GetRequiredService<EgressGuard>();
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    ConnectCallback = async (context, ct) =>
                        new System.Net.Sockets.NetworkStream(await guard.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, ct).ConfigureAwait(false), ownsSocket: true),
                };
            })
            // The delivery pipeline retries with backoff and records every attempt; a retrying handler here would
            // repeat POSTs unseen and stretch one attempt past its timeout.
            .ConfigureAdditionalHttpMessageHandlers(static (handlers, _) =>
            {
                for (var i = handlers.Count - 1; i >= 0; i--)
                {
                    if (handlers[i] is ResilienceHandler)
                    {
                        handlers.RemoveAt(i);
                    }
                }
            });

    private static HttpProviderChannel CreateProvider(IServiceProvider provider, NotificationChannel channel) =>
        new(channel, provider.GetRequiredService<IHttpClientFactory>(), provider.GetRequiredService<ILogger<HttpProviderChannel>>());
}
