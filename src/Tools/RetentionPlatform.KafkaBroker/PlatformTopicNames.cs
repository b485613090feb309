namespace RetentionPlatform.KafkaBroker;

/// <summary>The platform's Kafka topics, provisioned by whoever runs the broker (here: the local embedded one).</summary>
internal static class PlatformTopicNames
{
    public const string CustomerEvents = "retention.customer-events.v1";
    public const string ProfileEvents = "retention.profile-events.v1";
    public const string AppointmentEvents = "retention.appointment-events.v1";
    public const string NotificationRequests = "retention.notification-requests.v1";
    public const string MessageEvents = "retention.message-events.v1";

    public static IReadOnlyList<string> All { get; } =
        [CustomerEvents, ProfileEvents, AppointmentEvents, NotificationRequests, MessageEvents];

    public static IReadOnlyDictionary<string, int> WithPartitions(int partitions) =>
        All.ToDictionary(topic => topic, _ => partitions);
}
