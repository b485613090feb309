namespace RetentionPlatform.EventBus;

/// <summary>
/// The platform's Kafka topics. Names carry a version so a breaking schema change gets a new topic.
/// Topics are provisioned by whoever runs the broker (the embedded host, the AppHost, operations),
/// never by application code at startup.
/// </summary>
public static class EventTopics
{
    public const string CustomerEvents = "retention.customer-events.v1";
    public const string ProfileEvents = "retention.profile-events.v1";
    public const string AppointmentEvents = "retention.appointment-events.v1";
    public const string NotificationRequests = "retention.notification-requests.v1";
    public const string MessageEvents = "retention.message-events.v1";

    /// <summary>The platform topics with their default partition counts.</summary>
    public static IReadOnlyDictionary<string, int> All { get; } = new Dictionary<string, int>
    {
        [CustomerEvents] = 8,
        [ProfileEvents] = 4,
        [AppointmentEvents] = 4,
        [NotificationRequests] = 4,
        [MessageEvents] = 4,
    };

    /// <summary>The Profiles silos' consumer group of <see cref="CustomerEvents"/>.</summary>
    public const string ProfilesConsumerGroup = "profiles";

    /// <summary>The Recommendations service's consumer group of <see cref="CustomerEvents"/>.</summary>
    public const string RecommendationsConsumerGroup = "recommendations";

    /// <summary>The Recommendations service's consumer group of <see cref="ProfileEvents"/> (erasures done through the Profiles API).</summary>
    public const string RecommendationsProfileEventsConsumerGroup = RecommendationsConsumerGroup + "-profile-events";

    /// <summary>The Profiles silos' consumer group of <see cref="AppointmentEvents"/> (next appointment, no-shows).</summary>
    public const string ProfilesAppointmentEventsConsumerGroup = ProfilesConsumerGroup + "-appointment-events";

    /// <summary>The Scheduling service's consumer group of <see cref="CustomerEvents"/> (erasures sent by partners).</summary>
    public const string SchedulingConsumerGroup = "scheduling";

    /// <summary>The Scheduling service's consumer group of <see cref="ProfileEvents"/> (erasures done through the Profiles API).</summary>
    public const string SchedulingProfileEventsConsumerGroup = SchedulingConsumerGroup + "-profile-events";

    /// <summary>The Profiles silos' consumer group of <see cref="MessageEvents"/> (sends, opens, clicks, bounces, unsubscribes, feedback).</summary>
    public const string ProfilesMessageEventsConsumerGroup = ProfilesConsumerGroup + "-message-events";

    /// <summary>The Notifications service's consumer group of <see cref="CustomerEvents"/> (erasures sent by partners).</summary>
    public const string NotificationsConsumerGroup = "notifications";

    /// <summary>The Notifications service's consumer group of <see cref="ProfileEvents"/> (erasures done through the Profiles API).</summary>
    public const string NotificationsProfileEventsConsumerGroup = NotificationsConsumerGroup + "-profile-events";

    /// <summary>The Notifications service's consumer group of <see cref="NotificationRequests"/>.</summary>
    public const string NotificationsRequestsConsumerGroup = NotificationsConsumerGroup + "-requests";

    /// <summary>The Notifications service's consumer group of <see cref="AppointmentEvents"/> (reminders and feedback requests).</summary>
    public const string NotificationsAppointmentEventsConsumerGroup = NotificationsConsumerGroup + "-appointment-events";

    /// <summary>The platform's consumer groups; each has a dead-letter topic to provision.</summary>
    public static IReadOnlyList<string> ConsumerGroups { get; } =
    [
        ProfilesConsumerGroup, ProfilesAppointmentEventsConsumerGroup, RecommendationsConsumerGroup, RecommendationsProfileEventsConsumerGroup,
        SchedulingConsumerGroup, SchedulingProfileEventsConsumerGroup, ProfilesMessageEventsConsumerGroup, NotificationsConsumerGroup,
        NotificationsProfileEventsConsumerGroup, NotificationsRequestsConsumerGroup, NotificationsAppointmentEventsConsumerGroup,
    ];

    /// <summary>The dead-letter topic of one consumer group.</summary>
    public static string DeadLetter(string consumerGroup) => $"retention.dead-letter.{consumerGroup}.v1";

    /// <summary>
    /// Everything a broker run by the platform itself must create: the topics (with their default partition
    /// counts, or <paramref name="partitions"/> for all) and one single-partition dead-letter topic per group.
    /// </summary>
    public static Dictionary<string, int> ToProvision(int? partitions = null)
    {
        var topics = All.ToDictionary(t => t.Key, t => partitions ?? t.Value);
        foreach (var group in ConsumerGroups)
        {
            topics[DeadLetter(group)] = 1;
        }

        return topics;
    }
}
