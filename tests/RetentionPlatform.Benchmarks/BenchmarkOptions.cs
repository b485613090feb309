using System.Globalization;
using RetentionPlatform.Standalone;

namespace RetentionPlatform.Benchmarks;

/// <summary>
/// What one benchmark run does, from the command line:
/// <c>--events 50000 --customers 1000 --concurrency 64 --rate 2500 --duration 20 --warmup 3 --platform-warmup 15 --probes-per-second 10 --quick
/// --breakdown --set Kafka:Consumers:profiles:MaxBatchSize=2000</c>; or, for the gateway's cost instead of ingestion,
/// <c>--gateway</c> (with <c>--rounds</c>, and the flags above that apply).
/// </summary>
public sealed class BenchmarkOptions
{
    /// <summary>Events posted in the closed-loop phases (the ceiling posts as many requests).</summary>
    public int Events { get; private set; } = 50_000;

    /// <summary>Distinct customers the closed-loop events are spread over (round robin).</summary>
    public int Customers { get; private set; } = 1_000;

    /// <summary>Concurrent workers of the closed-loop phases.</summary>
    public int Concurrency { get; private set; } = 64;

    /// <summary>
    /// Fixed rate (events/s) of the open-loop phase; 0 means half the measured end-to-end rate. With <c>--gateway</c>,
    /// requests/s of every open-loop run, 2,000 unless given.
    /// </summary>
    public int Rate { get; private set; }

    /// <summary>Length of the fixed-rate phase; with <c>--gateway</c>, of every measured run (closed loop and fixed rate).</summary>
    public TimeSpan FixedRateDuration { get; private set; } = TimeSpan.FromSeconds(20);

    /// <summary>Warm-up of the empty endpoint and of the fixed-rate phase before they are measured.</summary>
    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Warm-up of the platform before its first measurement: long enough for tiered JIT to reach optimized code
    /// in five services (with 3 s the end-to-end figure came out 10-25% lower on a 2-core machine).
    /// </summary>
    public TimeSpan PlatformWarmup { get; private set; } = TimeSpan.FromSeconds(15);

    /// <summary>Probe events (each to a fresh customer) per second of the fixed-rate phase.</summary>
    public int ProbesPerSecond { get; private set; } = 10;

    /// <summary>Interval between the GETs that look for a probe event.</summary>
    public TimeSpan ProbePollInterval { get; private set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Longest a closed-loop posting phase may run; whatever was sent by then is what is measured.</summary>
    public TimeSpan PostingTimeout { get; private set; } = TimeSpan.FromSeconds(75);

    /// <summary>Longest the benchmark waits for every posted event to become visible.</summary>
    public TimeSpan VisibilityTimeout { get; private set; } = TimeSpan.FromSeconds(45);

    /// <summary>Hard cap on the whole run; past it the process exits whatever it is doing.</summary>
    public TimeSpan HardLimit { get; private set; } = TimeSpan.FromMinutes(6);

    /// <summary>Small numbers for a smoke run (well under 30 seconds for ingestion, a minute or two with <c>--gateway</c>).</summary>
    public bool Quick { get; private set; }

    /// <summary>
    /// Measure the gateway's cost instead of ingestion: profile reads and event posts straight to the service against
    /// through the gateway (see <see cref="GatewayPhase"/>).
    /// </summary>
    public bool Gateway { get; private set; }

    /// <summary>With <c>--gateway</c>: rounds, each measuring both paths, in the opposite order to the round before.</summary>
    public int Rounds { get; private set; } = 2;

    /// <summary>Also time the pieces of the path on their own (events service without the gateway, Kafka, grains, PostgreSQL).</summary>
    public bool Breakdown { get; private set; }

    /// <summary>Settings handed to every service (<c>--set key=value</c>), for tuning experiments.</summary>
    public Dictionary<string, string?> ServiceSettings { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static string Usage =>
        "usage: RetentionPlatform.Benchmarks [--quick] [--events N] [--customers N] [--concurrency N] [--rate EVENTS_PER_S]" +
        " [--duration SECONDS] [--warmup SECONDS] [--platform-warmup SECONDS] [--probes-per-second N] [--breakdown] [--set KEY=VALUE]..." +
        " | --gateway [--quick] [--rounds N] [--customers N] [--concurrency N] [--rate REQUESTS_PER_S] [--duration SECONDS] [--warmup SECONDS]" +
        " [--platform-warmup SECONDS] [--set KEY=VALUE]...";

    /// <summary>
    /// Settings every mode starts the platform with (<c>--set</c> overrides them): rate limiting stays on, with
    /// limits no run can reach, so its cost is measured and it never refuses a request.
    /// </summary>
    public static IReadOnlyDictionary<string, string> GatewayModeSettings { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Gateway:RateLimits:Tenant:PermitsPerSecond"] = "1000000",
        ["Gateway:RateLimits:Tenant:Burst"] = "1000000",
    };

    /// <summary>Reads the command line; <c>--quick</c> sets small defaults that later flags can still override.</summary>
    /// <exception cref="ArgumentException">An unknown flag, a value that is not a positive number, or gateway runs too long for one signature.</exception>
    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        if (args.Contains("--quick", StringComparer.Ordinal))
        {
            options.Quick = true;
            options.Events = 3_000;
            options.Customers = 100;
            options.Concurrency = 32;
            options.FixedRateDuration = TimeSpan.FromSeconds(3);
            options.Warmup = TimeSpan.FromSeconds(0.5);
            options.PlatformWarmup = TimeSpan.FromSeconds(1);
            options.PostingTimeout = TimeSpan.FromSeconds(8);
            options.VisibilityTimeout = TimeSpan.FromSeconds(8);
            options.HardLimit = TimeSpan.FromSeconds(90);
        }

        if (args.Contains("--gateway", StringComparer.Ordinal))
        {
            options.Gateway = true;
            options.Rate = 2_000;
            options.Customers = options.Quick ? 100 : 300;
            options.FixedRateDuration = TimeSpan.FromSeconds(options.Quick ? 3 : 10);
            options.ProbesPerSecond = 1;
            options.Rounds = options.Quick ? 1 : 2;
            options.HardLimit = TimeSpan.FromMinutes(options.Quick ? 3 : 12);
        }

        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            if (flag is "--quick" or "--gateway")
            {
                continue;
            }

            if (flag == "--breakdown")
            {
                options.Breakdown = true;
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"'{flag}' needs a value. {Usage}");
            }

            var value = args[++i];
            switch (flag)
            {
                case "--events": options.Events = Positive(flag, value); break;
                case "--customers": options.Customers = Positive(flag, value); break;
                case "--concurrency": options.Concurrency = Positive(flag, value); break;
                case "--rate": options.Rate = Positive(flag, value); break;
                case "--duration": options.FixedRateDuration = TimeSpan.FromSeconds(Positive(flag, value)); break;
                case "--warmup": options.Warmup = TimeSpan.FromSeconds(Positive(flag, value)); break;
                case "--platform-warmup": options.PlatformWarmup = TimeSpan.FromSeconds(Positive(flag, value)); break;
                case "--probes-per-second": options.ProbesPerSecond = Positive(flag, value); break;
                case "--rounds": options.Rounds = Positive(flag, value); break;
                case "--set" when value.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals:
                    options.ServiceSettings[value[..equals]] = value[(equals + 1)..];
                    break;
                default: throw new ArgumentException($"Unknown argument '{flag}'. {Usage}");
            }
        }

        options.Customers = Math.Min(options.Customers, options.Events);

        // Rate limiting stays on in every mode, with limits out of reach: the benchmark measures the platform, not the limit.
        foreach (var (key, value) in GatewayModeSettings)
        {
            options.ServiceSettings.TryAdd(key, value);
        }

        if (options.Gateway)
        {

            // Each run's direct client is signed once, when the run starts (DirectServiceClient); the platform
            // warm-up gives each workload and path a quarter of its length.
            if (options.Warmup + options.FixedRateDuration > DirectServiceClient.MaxUse || options.PlatformWarmup / 4 > DirectServiceClient.MaxUse)
            {
                throw new ArgumentException($"With --gateway, --warmup plus --duration, and a quarter of --platform-warmup, must stay within a minute. {Usage}");
            }
        }

        return options;
    }

    /// <summary>A throwaway platform on free ports, with the <c>--set</c> settings.</summary>
    public StandaloneOptions ToStandaloneOptions()
    {
        var standalone = new StandaloneOptions { Ephemeral = true, GatewayHttpPort = 0, GatewayGrpcPort = 0 };
        foreach (var (key, value) in ServiceSettings)
        {
            standalone.ServiceSettings[key] = value;
        }

        return standalone;
    }

    private static int Positive(string flag, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"'{flag}' needs a positive whole number, not '{value}'. {Usage}");
}
