namespace RetentionPlatform.Recommendations.Benchmarks;

/// <summary>The in-memory update figures: catalog upsert, interactions applied, and the trivial pass over the same interactions.</summary>
internal sealed record ModelUpdateResult(TimeSpan Catalog, TimeSpan Apply, TimeSpan ApplyCpu, TimeSpan Baseline, int Interactions, int Customers, GcSnapshot Gc)
{
    public double ApplyPerSecond => Interactions / Apply.TotalSeconds;

    public double BaselinePerSecond => Interactions / Baseline.TotalSeconds;
}
