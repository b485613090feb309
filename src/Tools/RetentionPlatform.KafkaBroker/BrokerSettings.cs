using System.Globalization;

namespace RetentionPlatform.KafkaBroker;

/// <summary>Command line and environment settings of the local broker.</summary>
internal sealed record BrokerSettings(int? Port, int Partitions)
{
    public const string PortVariable = "KAFKA_BROKER_PORT";
    public const int DefaultPartitions = 4;

    public static string Usage { get; } = $"""
        Usage: RetentionPlatform.KafkaBroker [--port N] [--partitions N]
          --port N        fixed loopback port (also {PortVariable}); default: any free port
          --partitions N  partitions per platform topic; default: {DefaultPartitions}
        """;

    /// <summary>Parses <paramref name="args"/>; <c>--port</c> wins over <paramref name="portVariable"/>.</summary>
    /// <exception cref="FormatException">An argument is unknown, missing its value or out of range.</exception>
    public static BrokerSettings Parse(IReadOnlyList<string> args, string? portVariable)
    {
        var port = string.IsNullOrWhiteSpace(portVariable) ? (int?)null : ParseNumber(PortVariable, portVariable, 1, 65535);
        var partitions = DefaultPartitions;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--port":
                    port = ParseNumber("--port", ValueAfter(args, ref i), 1, 65535);
                    break;
                case "--partitions":
                    partitions = ParseNumber("--partitions", ValueAfter(args, ref i), 1, 1000);
                    break;
                default:
                    throw new FormatException($"Unknown argument '{args[i]}'.");
            }
        }

        return new BrokerSettings(port, partitions);
    }

    private static string ValueAfter(IReadOnlyList<string> args, ref int index) =>
        ++index < args.Count ? args[index] : throw new FormatException($"{args[index - 1]} needs a value.");

    private static int ParseNumber(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new FormatException($"{name} must be a whole number from {min} to {max}, not '{value}'.");
}
