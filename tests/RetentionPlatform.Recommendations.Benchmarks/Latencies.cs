using System.Globalization;

namespace RetentionPlatform.Recommendations.Benchmarks;

/// <summary>Latency percentiles (milliseconds) of one run, with how many calls were made and how many failed.</summary>
internal sealed record Latencies(double P50, double P90, double P99, double P999, double Max, int Calls, int Failures, double AchievedRate)
{
    public static Latencies From(List<double> milliseconds, int failures, double seconds)
    {
        milliseconds.Sort();
        double At(double q) => milliseconds.Count == 0 ? double.NaN : milliseconds[Math.Min(milliseconds.Count - 1, (int)(q * milliseconds.Count))];
        return new Latencies(
            At(0.50),
            At(0.90),
            At(0.99),
            At(0.999),
            milliseconds.Count == 0 ? double.NaN : milliseconds[^1],
            milliseconds.Count,
            failures,
            milliseconds.Count / seconds);
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"p50 {P50:0.00} ms, p90 {P90:0.00} ms, p99 {P99:0.00} ms, p99.9 {P999:0.00} ms, max {Max:0.0} ms ({Calls:N0} ok at {AchievedRate:N0}/s, {Failures} failed)");
}
