using System.Globalization;
using System.Runtime.InteropServices;

namespace RetentionPlatform.Benchmarks;

/// <summary>
/// Prints the figures of one run: the summary table the issue asks for, then the details behind it (for
/// <c>--gateway</c>, through <see cref="GatewayReport"/>).
/// </summary>
public sealed class BenchmarkReport(BenchmarkOptions options, string runId)
{
    public const double TargetEventsPerSecond = 5_000;
    public const double TargetAckP99Ms = 20;

    public ClosedLoopResult? Ceiling { get; set; }

    public EndToEndResult? EndToEnd { get; set; }

    public FixedRateResult? FixedRate { get; set; }

    public PlatformDelta? FixedRatePlatform { get; set; }

    public TimeSpan PlatformStartup { get; set; }

    public IReadOnlyList<BreakdownStep> Breakdown { get; set; } = [];

    /// <summary>The platform with no load, right after start-up.</summary>
    public PlatformDelta? Idle { get; set; }

    /// <summary>Cores the machine was busy with just before the run started (other work sharing it).</summary>
    public double BackgroundCores { get; set; }

    /// <summary>With <c>--gateway</c>, the only phase.</summary>
    public GatewayResult? Gateway { get; set; }

    /// <summary>Every phase ran, every acknowledged event became visible and no request failed.</summary>
    public bool Complete => options.Gateway
        ? Gateway is { } gateway && GatewayReport.IsComplete(gateway)
        : Ceiling is { TimedOut: false } c && c.Failures.Count == 0
            && EndToEnd is { Visibility.AllVisible: true } e && e.Posting.Failures.Count == 0 && !e.Posting.TimedOut
            && FixedRate is { } f && f.Failures.Count == 0 && f.Visible.Count == f.ProbesSent;

    public void PrintHeader(TextWriter output)
    {
        output.WriteLine(Invariant($"RetentionPlatform {(options.Gateway ? "gateway" : "ingestion")} benchmark (run {runId}{(options.Quick ? ", quick" : "")}): {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}"));
        if (options.Gateway)
        {
            GatewayReport.PrintHeader(output, options);
        }
        else
        {
            output.WriteLine(Invariant($"  events {options.Events:N0}, customers {options.Customers:N0}, concurrency {options.Concurrency}, fixed rate {(options.Rate > 0 ? options.Rate.ToString("N0", CultureInfo.InvariantCulture) + "/s" : "half the end-to-end rate")} for {options.FixedRateDuration.TotalSeconds:0} s, warm-up {options.Warmup.TotalSeconds:0.#} s per target ({options.PlatformWarmup.TotalSeconds:0.#} s for the platform)"));
        }

        output.WriteLine("  NOTE: the load generator runs in the same process as the platform (gateway, services, embedded Kafka) and");
        output.WriteLine("        shares this machine's cores with it and with PostgreSQL: every figure is a lower bound for the platform alone.");
        output.WriteLine(Invariant($"  machine busy at the start (after a short wait for it to settle): {BackgroundCores:0.00} of {Environment.ProcessorCount} cores;"));
        output.WriteLine("        whatever else runs on the machine competes with every phase: see 'other' under Details");
        output.WriteLine();
    }

    public void Print(TextWriter output)
    {
        if (Gateway is { } gateway)
        {
            GatewayReport.Print(output, gateway, options);
            output.WriteLine(Invariant($"  platform start-up: {PlatformStartup.TotalSeconds:0.0} s"));
            return;
        }

        output.WriteLine();
        output.WriteLine("Results (load generator shares the machine with the platform)");
        if (Ceiling is { } ceiling)
        {
            output.WriteLine(Invariant($"  ceiling (empty Kestrel):  {ceiling.RequestsPerSecond,6:0} req/s     p50 {ceiling.Latency.P50Ms:0.0} ms  p99 {ceiling.Latency.P99Ms:0.0} ms"));
        }

        if (EndToEnd is { } e2e)
        {
            var ratio = Ceiling is { } c ? (e2e.EventsPerSecond / c.RequestsPerSecond).ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
            var incomplete = e2e.Visibility.AllVisible ? "" : Invariant($"  (INCOMPLETE: {e2e.Visibility.VisibleEvents:N0} of {e2e.Visibility.ExpectedEvents:N0} visible; lower bound)");
            output.WriteLine(Invariant($"  end-to-end:               {e2e.EventsPerSecond,6:0} events/s (until visible)   ratio b/a: {ratio}{incomplete}"));
        }

        if (FixedRate is { } fixedRate)
        {
            var label = Invariant($"ack @ {fixedRate.Rate}/s:").PadRight(26);
            output.WriteLine(Invariant($"  {label}p50 {fixedRate.Ack.P50Ms:0.0} ms  p99 {fixedRate.Ack.P99Ms:0.0} ms  (from scheduled send time, open loop)"));
            label = Invariant($"post-to-visible @ {fixedRate.Rate}/s:").PadRight(26);
            output.WriteLine(Invariant($"  {label}p50 {fixedRate.Visible.P50Ms:0.0} ms  p99 {fixedRate.Visible.P99Ms:0.0} ms  ({fixedRate.Visible.Count} probes to fresh customers, polled every {options.ProbePollInterval.TotalMilliseconds:0} ms or 5% of elapsed)"));
        }

        output.WriteLine(Invariant($"  targets: >= 5,000 events/s end to end: {Verdict(EndToEnd?.EventsPerSecond >= TargetEventsPerSecond)}; ack p99 < 20 ms at half that rate: {AckVerdict()}"));
        PrintDetails(output);
    }

    private void PrintDetails(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("Details");
        output.WriteLine(Invariant($"  platform start-up:        {PlatformStartup.TotalSeconds:0.0} s"));
        if (Idle is { } idle)
        {
            PrintPlatform(output, Invariant($"idle ({idle.Wall.TotalSeconds:0} s, no load)"), idle);
        }

        if (Ceiling is { } ceiling)
        {
            output.WriteLine(Invariant($"  ceiling:                  {ceiling.Accepted:N0} of {ceiling.Sent:N0} requests answered 202 in {ceiling.Elapsed.TotalSeconds:0.00} s, max {ceiling.Latency.MaxMs:0.0} ms; failures: {Failures(ceiling.Failures)}"));
            output.WriteLine(Invariant($"                            CPU: this process {ceiling.ProcessCores:0.00} cores = {ceiling.ProcessCpuMsPerRequest:0.000} ms per request (client + server), machine {ceiling.MachineCores:0.00} cores"));
        }

        if (EndToEnd is { } e2e)
        {
            var posting = e2e.Posting;
            output.WriteLine(Invariant($"  end-to-end posting:       {posting.Accepted:N0} of {posting.Sent:N0} acknowledged in {posting.Elapsed.TotalSeconds:0.00} s = {posting.RequestsPerSecond:0} acks/s, p50 {posting.Latency.P50Ms:0.0} ms p99 {posting.Latency.P99Ms:0.0} ms max {posting.Latency.MaxMs:0.0} ms{(posting.TimedOut ? " (hit the posting time limit)" : "")}; failures: {Failures(posting.Failures)}"));
            output.WriteLine(Invariant($"  end-to-end visibility:    all visible {e2e.UntilVisible.TotalSeconds:0.00} s after the first post, {e2e.Drain.TotalSeconds:0.00} s after the last ack ({e2e.Visibility.Gets:N0} GETs)"));
            PrintPlatform(output, "while posting (closed loop)", e2e.DuringPosting);
            PrintPlatform(output, "first post to all visible", e2e.PlatformUntilVisible);
        }

        if (FixedRate is { } f)
        {
            output.WriteLine(Invariant($"  fixed rate:               {f.Scheduled:N0} sends scheduled at {f.Rate}/s, issued at {f.AchievedRate:0}/s, {f.Accepted:N0} acknowledged; max dispatch lag {f.MaxDispatchLagMs:0.0} ms"));
            output.WriteLine(Invariant($"                            ack from actual send: p50 {f.Service.P50Ms:0.0} ms p99 {f.Service.P99Ms:0.0} ms; ack max {f.Ack.MaxMs:0.0} ms; visible max {f.Visible.MaxMs:0.0} ms; probes {f.Visible.Count}/{f.ProbesSent} visible ({f.ProbeGets:N0} probe GETs); failures: {Failures(f.Failures)}"));
        }

        if (FixedRatePlatform is { } platform)
        {
            PrintPlatform(output, "during the fixed rate", platform);
        }

        PrintBreakdown(output);
    }

    private static void PrintPlatform(TextWriter output, string label, PlatformDelta d)
    {
        output.WriteLine(Invariant($"  platform {label}:"));
        output.WriteLine(Invariant($"      published {d.PublishedPerSecond:0}/s, applied {d.HandledPerSecond:0}/s, max consumer lag {d.MaxLag:N0}; {d.EventsPerHandlerCall:0.0} events and {d.MeanHandlerCallMs:0.0} ms per grain call"));
        var perEvent = d.To.Handled > d.From.Handled ? Invariant($" ({d.ProcessCpuMsPerEvent:0.00} ms per applied event)") : "";
        output.WriteLine(Invariant($"      CPU cores: this process {d.ProcessCores:0.00}{perEvent}, postgres {d.PostgresCores:0.00}, other {d.OtherCores:0.00}, machine {d.MachineCores:0.00} of {Environment.ProcessorCount}; GC pauses {d.GcPausePercent:0.0}% of wall time; thread pool up to {d.MaxThreadPoolThreads} threads, {d.MaxQueuedWorkItems} queued"));
        output.WriteLine("      busiest threads (cores): " + string.Join(", ", d.TopThreads(8).Select(t => Invariant($"{t.Name} {t.Cores:0.00}"))));
    }

    private void PrintBreakdown(TextWriter output)
    {
        if (Breakdown.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine(Invariant($"Breakdown (each piece alone, closed loop, {options.Concurrency} concurrent unless '1 at a time', 3 s after 1 s warm-up; CPU per operation: this process + PostgreSQL server)"));
        foreach (var step in Breakdown)
        {
            output.WriteLine(Invariant($"  {step.Name,-50} {step.OperationsPerSecond,7:0}/s  p50 {step.Latency.P50Ms,6:0.0} ms  p99 {step.Latency.P99Ms,6:0.0} ms  CPU {step.ProcessCpuMsPerOperation:0.000} + postgres {step.PostgresCpuMsPerOperation:0.000} ms/op  errors {step.Errors}"));
        }
    }

    private string AckVerdict()
    {
        if (FixedRate is not { } f)
        {
            return "not measured";
        }

        var verdict = Verdict(f.Ack.P99Ms < TargetAckP99Ms);
        return f.Rate < TargetEventsPerSecond / 2
            ? Invariant($"{verdict} at {f.Rate}/s (below the 2,500/s the target assumes)")
            : Invariant($"{verdict} at {f.Rate}/s");
    }

    private static string Verdict(bool? met) => met switch
    {
        true => "MET",
        false => "MISSED",
        null => "not measured",
    };

    private static string Failures(IReadOnlyDictionary<string, int> failures) =>
        failures.Count == 0 ? "none" : string.Join(", ", failures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => Invariant($"{f.Key} x{f.Value}")));

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
