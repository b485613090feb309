namespace RetentionPlatform.Recommendations.Evaluation;

/// <summary>The size and seed of a planted dataset; the defaults are the dataset the evaluation's claim is made on.</summary>
public sealed record PlantedDatasetOptions
{
    public const int DefaultSeed = 20261124;

    /// <summary>Everything random is drawn from this seed: the same options give the same events.</summary>
    public int Seed { get; init; } = DefaultSeed;

    public int Items { get; init; } = 2_000;

    public int Categories { get; init; } = 20;

    public int Customers { get; init; } = 5_000;

    /// <summary>How many days the events span, from <see cref="Start"/>.</summary>
    public int Days { get; init; } = 60;

    public DateTimeOffset Start { get; init; } = new(2026, 9, 25, 0, 0, 0, TimeSpan.Zero);
}
