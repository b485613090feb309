using System.Diagnostics;
using RetentionPlatform.Benchmarks;
using RetentionPlatform.Standalone;

// The ingestion benchmark: (a) an empty Kestrel endpoint, the machine's ceiling; (b) the standalone platform
// end to end over real HTTP on loopback. With --gateway, instead: the gateway's cost, direct against through the
// gateway (GatewayPhase). Usage: see BenchmarkOptions.Usage.
BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

using var watchdog = new Watchdog(options.HardLimit);
using var cancel = new CancellationTokenSource(options.HardLimit - TimeSpan.FromSeconds(options.Quick ? 15 : 45));
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

var runId = Guid.NewGuid().ToString("N")[..8];
var bodies = new EventBodies(runId);
var report = new BenchmarkReport(options, runId) { BackgroundCores = await BackgroundLoad.SettleAsync(TimeSpan.FromSeconds(options.Quick ? 2 : 10)) };
report.PrintHeader(Console.Out);

if (!options.Gateway)
{
    Console.WriteLine("(a) ceiling: empty Kestrel endpoint...");
    report.Ceiling = await new CeilingPhase(options, bodies, runId).RunAsync(cancel.Token);
}

Console.WriteLine("(b) starting the standalone platform (throwaway PostgreSQL, embedded Kafka, every service)...");
var starting = Stopwatch.GetTimestamp();
await using var platform = await StandalonePlatform.StartAsync(options.ToStandaloneOptions(), cancel.Token);
report.PlatformStartup = Stopwatch.GetElapsedTime(starting);

using var observer = new PlatformObserver(platform);
try
{
    if (options.Gateway)
    {
        Console.WriteLine("(b) gateway cost: seeding, warm-up, then rounds of closed loop and fixed rate, direct and through the gateway...");
        report.Gateway = new GatewayResult();
        await new GatewayPhase(options, bodies, platform, observer, runId, Console.Out).RunAsync(report.Gateway, cancel.Token);
    }
    else
    {
        await MeasureIngestionAsync();
    }
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.WriteLine("Run cut short (time limit or Ctrl+C); what was measured so far follows.");
}

report.Print(Console.Out);
Console.WriteLine();
Console.WriteLine("Stopping the platform...");
await platform.StopAsync();
return report.Complete ? 0 : 1;

async Task MeasureIngestionAsync()
{
    var gateway = LoadClient.OnIPv4Loopback(platform.GatewayHttpUrl);
    using var postClient = LoadClient.Create(gateway, Math.Max(options.Concurrency, 256), StandaloneOptions.DemoApiKey);
    using var getClient = LoadClient.Create(gateway, 64, StandaloneOptions.DemoApiKey);
    report.Idle = options.Quick ? null : await observer.MeasureIdleAsync(TimeSpan.FromSeconds(2), cancel.Token);

    Console.WriteLine("(b) end to end, closed loop, until every event is visible...");
    report.EndToEnd = await new EndToEndPhase(options, bodies, postClient, getClient, observer, runId).RunAsync(cancel.Token);

    var rate = options.Rate > 0 ? options.Rate : Math.Max(1, (int)(report.EndToEnd.EventsPerSecond / 2));
    Console.WriteLine($"(b) fixed rate {rate}/s for {options.FixedRateDuration.TotalSeconds:0} s, with probes...");
    (report.FixedRate, report.FixedRatePlatform) = await new FixedRatePhase(options, bodies, postClient, getClient, observer, runId).RunAsync(rate, cancel.Token);

    if (options.Breakdown)
    {
        Console.WriteLine("(b) breakdown: each piece of the path alone...");
        report.Breakdown = await new BreakdownPhase(options, bodies, platform, observer, postClient, runId).RunAsync(cancel.Token);
    }
}
