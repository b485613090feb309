using System.Diagnostics.CodeAnalysis;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Channels;

/// <summary>The registered <see cref="IMessageChannel"/> of each <see cref="NotificationChannel"/>.</summary>
public sealed class ChannelRegistry
{
    private readonly Dictionary<NotificationChannel, IMessageChannel> _channels;

    /// <exception cref="ArgumentException">Two implementations claim the same channel.</exception>
    public ChannelRegistry(IEnumerable<IMessageChannel> channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        _channels = [];
        foreach (var channel in channels)
        {
            if (!_channels.TryAdd(channel.Channel, channel))
            {
                throw new ArgumentException($"Two message channels are registered for {channel.Channel}.", nameof(channels));
            }
        }
    }

    /// <summary>The channels that can be resolved.</summary>
    public IReadOnlyCollection<NotificationChannel> Channels => _channels.Keys;

    /// <summary>The implementation of <paramref name="channel"/>.</summary>
    /// <exception cref="InvalidOperationException">None is registered (a wiring mistake, not a delivery problem).</exception>
    public IMessageChannel Get(NotificationChannel channel) =>
        _channels.TryGetValue(channel, out var messageChannel)
            ? messageChannel
            : throw new InvalidOperationException($"No message channel is registered for {channel}.");

    /// <summary>The implementation of <paramref name="channel"/>, when one is registered.</summary>
    public bool TryGet(NotificationChannel channel, [NotNullWhen(true)] out IMessageChannel? messageChannel) =>
        _channels.TryGetValue(channel, out messageChannel);
}
