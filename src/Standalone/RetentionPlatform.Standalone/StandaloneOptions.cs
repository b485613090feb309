namespace RetentionPlatform.Standalone;

/// <summary>How the standalone host runs. Command line: <c>--gateway-port</c>, <c>--gateway-grpc-port</c>, <c>--data-dir</c>, <c>--ephemeral</c>.</summary>
public sealed class StandaloneOptions
{
    /// <summary>The development key of the demo tenant, printed at start (not a secret: development only).</summary>
    public const string DemoApiKey = "rp_dev_demo_key";

    public const string DemoTenant = "demo";

    /// <summary>A second tenant, so isolation can be tried by hand.</summary>
    public const string OtherApiKey = "rp_dev_other_key";

    public const string OtherTenant = "other";

    /// <summary>The development operator credential of the admin API (<c>/admin/v1/tenants</c>, <c>rpadmin</c>).</summary>
    public const string OperatorKey = "rp_dev_operator_key";

    /// <summary>REST/JSON port of the gateway; 0 picks a free one.</summary>
    public int GatewayHttpPort { get; set; } = 8080;

    /// <summary>gRPC (cleartext HTTP/2) port of the gateway; 0 picks a free one.</summary>
    public int GatewayGrpcPort { get; set; } = 8081;

    /// <summary>Where PostgreSQL keeps its data between runs.</summary>
    public string DataDirectory { get; set; } = Path.Combine(Environment.CurrentDirectory, ".data");

    /// <summary>Throwaway PostgreSQL data, deleted on stop (tests, benchmarks).</summary>
    public bool Ephemeral { get; set; }

    /// <summary>
    /// Development keys (plain key to tenant) created at start with every scope, beside the keys issued through
    /// the admin API (kept in PostgreSQL).
    /// </summary>
    public Dictionary<string, string> ApiKeys { get; } = new(StringComparer.Ordinal)
    {
        [DemoApiKey] = DemoTenant,
        [OtherApiKey] = OtherTenant,
    };

    /// <summary>Settings given to every service on top of the host's own (for example Kafka tuning).</summary>
    public Dictionary<string, string?> ServiceSettings { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static StandaloneOptions FromArgs(string[] args)
    {
        // A bare flag has no value, which the command-line configuration provider cannot read.
        var ephemeral = args.Contains("--ephemeral", StringComparer.Ordinal);
        var configuration = new ConfigurationBuilder()
            .AddCommandLine(args.Where(a => a != "--ephemeral").ToArray(), new Dictionary<string, string>
            {
                ["--gateway-port"] = nameof(GatewayHttpPort),
                ["--gateway-grpc-port"] = nameof(GatewayGrpcPort),
                ["--data-dir"] = nameof(DataDirectory),
            })
            .Build();
        var options = new StandaloneOptions { Ephemeral = ephemeral };
        configuration.Bind(options);
        return options;
    }
}
