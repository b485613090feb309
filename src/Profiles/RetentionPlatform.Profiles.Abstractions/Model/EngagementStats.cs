namespace RetentionPlatform.Profiles;

/// <summary>How the customer engages: visits, carts and our messages.</summary>
[GenerateSerializer]
[Alias("retention.profiles.EngagementStats.v1")]
public sealed class EngagementStats
{
    [Id(0)] public DateTimeOffset? LastActiveAt { get; set; }

    [Id(1)] public int PageViews { get; set; }

    [Id(2)] public int ProductViews { get; set; }

    /// <summary>Items in the cart now (0 after an order).</summary>
    [Id(3)] public int CartItems { get; set; }

    [Id(4)] public decimal CartValue { get; set; }

    [Id(5)] public DateTimeOffset? CartUpdatedAt { get; set; }

    [Id(6)] public DateTimeOffset? CheckoutStartedAt { get; set; }

    [Id(7)] public int MessagesSent { get; set; }

    [Id(8)] public int MessagesOpened { get; set; }

    [Id(9)] public int MessagesClicked { get; set; }

    [Id(10)] public DateTimeOffset? LastOpenedAt { get; set; }

    [Id(11)] public DateTimeOffset? LastClickedAt { get; set; }

    /// <summary>Channels whose address bounced, with the time (a later message_delivered clears it).</summary>
    [Id(12)] public Dictionary<ContactChannel, DateTimeOffset> Bounced { get; set; } = [];
}
