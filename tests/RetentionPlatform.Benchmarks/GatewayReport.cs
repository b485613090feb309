namespace RetentionPlatform.Benchmarks;

/// <summary>Prints the gateway benchmark: the summary table the issue asks for, then every run behind it.</summary>
public static class GatewayReport
{
    /// <summary>Gateway throughput as a share of direct throughput, at least.</summary>
    public const double TargetThroughputRatio = 0.70;

    /// <summary>Gateway p99 minus direct p99 at the target rate, less than.</summary>
    public const double TargetAddedP99Ms = 1.0;

    /// <summary>The rate the latency target is stated at.</summary>
    public const int TargetRate = 2_000;

    /// <summary>An open-loop run issued below this share of its rate: the load generator could not keep up.</summary>
    public const double BehindSchedule = 0.95;

    public static string Describe(GatewayWorkload workload) => workload switch
    {
        GatewayWorkload.ProfileRead => "GET /v1/customers/{id}",
        GatewayWorkload.EventPost => "POST /v1/events",
        _ => workload.ToString(),
    };

    public static string Describe(GatewayPath path) => path == GatewayPath.Direct ? "direct" : "gateway";

    /// <summary>Every planned run finished, the seeded customers were readable and every request was answered 2xx.</summary>
    public static bool IsComplete(GatewayResult result) =>
        result is { Finished: true, SeedingVisibility.AllVisible: true, Seeding.Failures.Count: 0 }
        && result.Throughput.All(r => r.Failures.Count == 0)
        && result.Latency.All(r => r.Result.Failures.Count == 0);

    public static void PrintHeader(TextWriter output, BenchmarkOptions options)
    {
        output.WriteLine(Invariant($"  customers {options.Customers:N0}; per round and workload, each path: closed loop x{options.Concurrency} and open loop at {options.Rate:N0}/s, {options.FixedRateDuration.TotalSeconds:0} s each after {options.Warmup.TotalSeconds:0.#} s warm-up; {options.Rounds} round(s), path order alternating"));
        output.WriteLine("  rate limiting on, limits out of reach: " + string.Join(", ", BenchmarkOptions.GatewayModeSettings.Keys.Select(k => Invariant($"{k}={options.ServiceSettings[k]}"))));
    }

    public static void Print(TextWriter output, GatewayResult result, BenchmarkOptions options)
    {
        output.WriteLine();
        output.WriteLine("Gateway cost: straight to the service (signed tenant headers) vs through the gateway (API key, rate limiting), same run");
        output.WriteLine(Invariant($"  req/s: closed loop, {options.Concurrency} concurrent on both paths; p50/p99: open loop at {options.Rate:N0} req/s, from the scheduled send time (queueing included), mean of {options.Rounds} round(s)"));
        output.WriteLine();
        output.WriteLine(Invariant($"  {"workload",-23} {"path",-8} {"req/s",8}  {"gateway/direct",-15} {"p50 ms",8} {"p99 ms",8}  {"added p99",-18} {"errors",7} {"429s",5}"));
        foreach (var workload in Enum.GetValues<GatewayWorkload>())
        {
            var failed = result.Errors(workload, GatewayPath.Direct) + result.Errors(workload, GatewayPath.Gateway) > 0;
            foreach (var path in Enum.GetValues<GatewayPath>())
            {
                var ratio = "";
                var added = "";
                if (path == GatewayPath.Gateway)
                {
                    var share = result.RequestsPerSecond(workload, GatewayPath.Gateway) / result.RequestsPerSecond(workload, GatewayPath.Direct);
                    ratio = Invariant($"{share * 100,5:0.0}%  {Verdict(share >= TargetThroughputRatio, share, failed)}");
                    var addedMs = P99(result, workload, GatewayPath.Gateway) - P99(result, workload, GatewayPath.Direct);
                    added = Invariant($"{addedMs,7:+0.00;-0.00} ms  {Verdict(addedMs < TargetAddedP99Ms && options.Rate >= TargetRate, addedMs, failed)}");
                }

                output.WriteLine(Invariant(
                    $"  {Describe(workload),-23} {Describe(path),-8} {result.RequestsPerSecond(workload, path),8:N0}  {ratio,-15} {P50(result, workload, path),8:0.00} {P99(result, workload, path),8:0.00}  {added,-18} {result.Errors(workload, path),7} {result.RateLimited(workload, path),5}"));
            }
        }

        output.WriteLine();
        output.WriteLine(Invariant($"  targets: gateway throughput >= {TargetThroughputRatio:0%} of direct; added p99 < {TargetAddedP99Ms:0} ms at {TargetRate:N0} req/s{(options.Rate < TargetRate ? Invariant($" (measured at {options.Rate:N0}/s: cannot pass)") : "")}; every answer 2xx (MISS* = figure met, but requests failed)"));
        if (!result.Finished)
        {
            output.WriteLine("  INCOMPLETE: the run was cut short; the figures cover the runs that finished.");
        }

        PrintDetails(output, result);
    }

    private static void PrintDetails(TextWriter output, GatewayResult result)
    {
        output.WriteLine();
        output.WriteLine("Details (every measured run, in the order run; CPU: this process = load generator + gateway + services + Kafka)");
        if (result is { Seeding: { } seeding, SeedingVisibility: { } visible })
        {
            output.WriteLine(Invariant($"  seeding: {seeding.Accepted:N0} of {seeding.Sent:N0} events accepted through the gateway, {visible.VisibleEvents:N0} of {visible.ExpectedEvents:N0} customers readable ({visible.Gets:N0} GETs); failures: {Failures(seeding.Failures)}"));
        }

        var runs = result.Throughput.Select(r => (r.Round, r.Workload, r.Path, r.Platform.From.Timestamp, Line: Describe(r)))
            .Concat(result.Latency.Select(r => (r.Round, r.Workload, r.Path, r.Platform.From.Timestamp, Line: Describe(r))))
            .OrderBy(r => r.Timestamp);
        foreach (var run in runs)
        {
            output.WriteLine(Invariant($"  r{run.Round} {Describe(run.Workload),-23} {Describe(run.Path),-8} {run.Line}"));
        }

        output.WriteLine();
        output.WriteLine("Per round (how much the comparison moves from one round to the next)");
        foreach (var round in result.Throughput.Select(r => r.Round).Distinct())
        {
            foreach (var workload in Enum.GetValues<GatewayWorkload>())
            {
                var direct = result.Throughput.FirstOrDefault(r => r.Round == round && r.Workload == workload && r.Path == GatewayPath.Direct);
                var gateway = result.Throughput.FirstOrDefault(r => r.Round == round && r.Workload == workload && r.Path == GatewayPath.Gateway);
                var directLatency = result.Latency.FirstOrDefault(r => r.Round == round && r.Workload == workload && r.Path == GatewayPath.Direct);
                var gatewayLatency = result.Latency.FirstOrDefault(r => r.Round == round && r.Workload == workload && r.Path == GatewayPath.Gateway);
                if (direct is null || gateway is null)
                {
                    continue;
                }

                var line = Invariant($"  r{round} {Describe(workload),-23} gateway/direct {gateway.RequestsPerSecond / direct.RequestsPerSecond,6:0.0%}  CPU per request {direct.ProcessCpuMsPerRequest:0.000} -> {gateway.ProcessCpuMsPerRequest:0.000} ms ({gateway.ProcessCpuMsPerRequest - direct.ProcessCpuMsPerRequest:+0.000;-0.000} ms)");
                if (directLatency is not null && gatewayLatency is not null)
                {
                    line += Invariant($"  added p50 {gatewayLatency.Result.Ack.P50Ms - directLatency.Result.Ack.P50Ms:+0.00;-0.00} ms, p99 {gatewayLatency.Result.Ack.P99Ms - directLatency.Result.Ack.P99Ms:+0.00;-0.00} ms");
                }

                output.WriteLine(line);
            }
        }

        if (result.Latency.Any(r => r.Result.AchievedRate < r.Result.Rate * BehindSchedule))
        {
            output.WriteLine();
            output.WriteLine("  NOTE: the load generator fell behind its schedule in some open-loop runs (issued below 95% of the rate): the machine was");
            output.WriteLine("        saturated, and those latencies measure the backlog, not the gateway.");
        }

    }

    private static string Describe(GatewayThroughputRun run) => Invariant(
        $"closed loop: {run.RequestsPerSecond,7:N0} req/s over {run.Elapsed.TotalSeconds:0.0} s; p50 {run.Latency.P50Ms:0.00} p99 {run.Latency.P99Ms:0.00} max {run.Latency.MaxMs:0.0} ms; {Cpu(run.Platform, run.ProcessCpuMsPerRequest)}; failures: {Failures(run.Failures)}");

    private static string Describe(GatewayLatencyRun run)
    {
        var r = run.Result;
        var probes = r.ProbesSent > 0 ? Invariant($"; post-to-visible p50 {r.Visible.P50Ms:0.0} p99 {r.Visible.P99Ms:0.0} ms ({r.Visible.Count}/{r.ProbesSent} probes)") : "";
        return Invariant(
            $"{r.Rate:N0}/s: {r.Accepted:N0} of {r.Scheduled:N0} answered 2xx, issued at {r.AchievedRate:N0}/s (max lag {r.MaxDispatchLagMs:0.0} ms); from schedule p50 {r.Ack.P50Ms:0.00} p99 {r.Ack.P99Ms:0.00} max {r.Ack.MaxMs:0.0} ms, from send p50 {r.Service.P50Ms:0.00} p99 {r.Service.P99Ms:0.00} ms{probes}; {Cpu(run.Platform, run.ProcessCpuMsPerRequest)}; failures: {Failures(r.Failures)}");
    }

    private static string Cpu(PlatformDelta d, double msPerRequest) =>
        Invariant($"CPU cores: this process {d.ProcessCores:0.00} ({msPerRequest:0.000} ms/request), postgres {d.PostgresCores:0.00}, other {d.OtherCores:0.00}, machine {d.MachineCores:0.00} of {Environment.ProcessorCount}");

    private static double P50(GatewayResult result, GatewayWorkload workload, GatewayPath path) => result.MeanAckMs(workload, path, s => s.P50Ms);

    private static double P99(GatewayResult result, GatewayWorkload workload, GatewayPath path) => result.MeanAckMs(workload, path, s => s.P99Ms);

    private static string Verdict(bool met, double figure, bool failed) =>
        double.IsNaN(figure) ? "n/a" : !met ? "MISS" : failed ? "MISS*" : "PASS";

    private static string Failures(IReadOnlyDictionary<string, int> failures) =>
        failures.Count == 0 ? "none" : string.Join(", ", failures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => Invariant($"{f.Key} x{f.Value}")));

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
