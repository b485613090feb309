namespace RetentionPlatform.Profiles;

/// <summary>What the customer bought, and the rhythm they buy in.</summary>
[GenerateSerializer]
[Alias("retention.profiles.CommerceStats.v1")]
public sealed class CommerceStats
{
    [Id(0)] public int Orders { get; set; }

    /// <summary>Order totals minus refunds.</summary>
    [Id(1)] public decimal Revenue { get; set; }

    [Id(2)] public int Refunds { get; set; }

    [Id(3)] public DateTimeOffset? FirstOrderAt { get; set; }

    [Id(4)] public DateTimeOffset? LastOrderAt { get; set; }

    [Id(5)] public DateTimeOffset? LastRefundAt { get; set; }

    [Id(6)] public string? Currency { get; set; }

    /// <summary>The most recent orders, oldest first (bounded): the cadence and merges are computed from them.</summary>
    [Id(7)] public List<OrderRecord> RecentOrders { get; set; } = [];

    /// <summary>The customer's own purchase rhythm: median days between recent orders (null below two orders).</summary>
    [Id(8)] public double? CadenceDays { get; set; }

    public decimal AverageOrderValue => Orders == 0 ? 0 : decimal.Round(Revenue / Orders, 2);
}
