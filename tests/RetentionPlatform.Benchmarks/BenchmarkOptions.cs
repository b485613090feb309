using System.Globalization;
using RetentionPlatform.Standalone;

namespace RetentionPlatform.Benchmarks;

/// <summary>
/// What one benchmark run does, from the command line:
/// <c>--events 50000 --customers 1000 --concurrency 64 --rate 2500 --duration 20 --warmup 3 --platform-warmup 15 --probes-per-second 10 --quick
/// --breakdown --set Kafka:Consumers:profiles:MaxBatchSize=2000</c>.
/// </summary>
public sealed class BenchmarkOptions
{
    /// <summary>Events posted in the closed-loop phases (the ceiling posts as many requests).</summary>
    public int Events { get; private set; } = 50_000;

    /// <summary>Distinct customers the closed-loop events are spread over (round robin).</summary>
    public int Customers { get; private set; } = 1_000;

    /// <summary>Concurrent workers of the closed-loop phases.</summary>
    public int Concurrency { get; private set; } = 64;

    /// <summary>Fixed rate (events/s) of the open-loop phase; 0 means half the measured end-to-end rate.</summary>
    public int Rate { get; private set; }

    /// <summary>Length of the fixed-rate phase.</summary>
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

    /// <summary>Small numbers for a smoke run (well under 30 seconds).</summary>
    public bool Quick { get; private set; }

    /// <summary>Also time the pieces of the path on their own (events service without the gateway, Kafka, grains, PostgreSQL).</summary>
    public bool Breakdown { get; private set; }

    /// <summary>Settings handed to every service (<c>--set key=value</c>), for tuning experiments.</summary>
    public Dictionary<string, string?> ServiceSettings { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static string Usage =>
        "usage: RetentionPlatform.Benchmarks [--quick] [--events N] [--customers N] [--concurrency N] [--rate EVENTS_PER_S]" +
        " [--duration SECONDS] [--warmup SECONDS] [--platform-warmup SECONDS] [--probes-per-second N] [--breakdown] [--set KEY=VALUE]...";

    /// <summary>Reads the command line; <c>--quick</c> sets small defaults that later flags can still override.</summary>
    /// <exception cref="ArgumentException">An unknown flag or a value that is not a positive number.</exception>
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

        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            if (flag == "--quick")
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
                case "--set" when value.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals:
                    options.ServiceSettings[value[..equals]] = value[(equals + 1)..];
                    break;
                default: throw new ArgumentException($"Unknown argument '{flag}'. {Usage}");
            }
        }

        options.Customers = Math.Min(options.Customers, options.Events);
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
