using System.Globalization;

namespace RetentionPlatform.Scheduling.Benchmarks;

/// <summary>Latency percentiles (milliseconds) of one run, with how many calls succeeded, how many failed, and the rate achieved.</summary>
internal sealed record Latencies(double P50, double P95, double P99, double Max, int Calls, int Failures, double Seconds)
{
    public double Rate => Calls / Seconds;

    public static Latencies From(List<double> milliseconds, int failures, double seconds)
    {
        milliseconds.Sort();
        double At(double q) => milliseconds.Count == 0 ? double.NaN : milliseconds[Math.Min(milliseconds.Count - 1, (int)(q * milliseconds.Count))];
        return new Latencies(At(0.50), At(0.95), At(0.99), milliseconds.Count == 0 ? double.NaN : milliseconds[^1], milliseconds.Count, failures, seconds);
    }

    /// <summary>The percentiles only.</summary>
    public string Percentiles => string.Create(CultureInfo.InvariantCulture, $"p50 {P50,6:0.00} ms, p95 {P95,6:0.00} ms, p99 {P99,6:0.00} ms, max {Max,6:0.0} ms");

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Percentiles} ({Calls:N0} ok, {Failures} failed, {Rate:N0}/s)");
}
