using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Channels;

/// <summary>
/// Delivers rendered messages on one <see cref="NotificationChannel"/>. Implementations are singletons, safe to call
/// concurrently, and never throw for a delivery problem: they classify it as a transient or permanent
/// <see cref="DeliveryResult"/> (a channel the tenant has not configured is a permanent failure).
/// </summary>
public interface IMessageChannel
{
    /// <summary>The channel this implementation delivers on.</summary>
    NotificationChannel Channel { get; }

    /// <summary>Makes one delivery attempt.</summary>
    /// <param name="message">The rendered message; its <see cref="OutgoingMessage.MessageId"/> makes repeats recognisable to the receiver.</param>
    /// <param name="settings">The tenant's channel settings.</param>
    /// <param name="cancellationToken">Cancels the attempt (shutdown); only then does the method throw (<see cref="OperationCanceledException"/>).</param>
    Task<DeliveryResult> SendAsync(OutgoingMessage message, ChannelSettings settings, CancellationToken cancellationToken);
}
