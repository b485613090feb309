namespace RetentionPlatform.Benchmarks;

/// <summary>Customer ids unique to a run and phase, so no phase sees another's events.</summary>
public static class CustomerIds
{
    public static IReadOnlyList<string> Create(string runId, string phase, int count) =>
        Enumerable.Range(0, count).Select(i => $"bench-{runId}-{phase}-{i}").ToArray();

    /// <summary>Pairs each customer with the events acknowledged for it.</summary>
    public static IReadOnlyList<(string CustomerId, int Expected)> WithExpected(IReadOnlyList<string> customers, ClosedLoopResult result) =>
        customers.Select((id, i) => (id, result.AcceptedPerCustomer[i])).ToArray();
}
