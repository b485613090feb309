using System.Globalization;

namespace RetentionPlatform.Recommendations.Evaluation;

/// <summary>Parses the evaluation tool's arguments by hand (the tool takes no package for it).</summary>
internal static class CommandLine
{
    public const string Usage = """
        Offline evaluation of the recommendation model against a popularity baseline.

        Usage:
          (no arguments)   generate the default planted dataset in memory and evaluate it
          generate --out FILE [--seed N] [--items N] [--categories N] [--customers N] [--days N]
                           write a planted dataset as a JSON-lines events file
          evaluate --events FILE [--split 0.8]
                           train on the events before the split (the time of the event at that share of the
                           events) and compare top-10 recommendations with the popularity baseline
          help             show this

        Exit codes: 0 done, 1 the file could not be read or written, 2 bad usage.
        """;

    public const string Demo = "demo";
    public const string Generate = "generate";
    public const string Evaluate = "evaluate";
    public const string Help = "help";

    /// <summary>The command, or null with <paramref name="error"/> saying what is wrong.</summary>
    public static Command? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        if (args.Count == 0)
        {
            return new Command(Demo, new PlantedDatasetOptions());
        }

        if (args is ["help" or "--help" or "-h"])
        {
            return new Command(Help, new PlantedDatasetOptions());
        }

        string[] allowed = args[0] switch
        {
            Generate => ["--out", "--seed", "--items", "--categories", "--customers", "--days"],
            Evaluate => ["--events", "--split"],
            _ => [],
        };
        if (allowed.Length == 0)
        {
            error = $"unknown command '{args[0]}'";
            return null;
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i += 2)
        {
            if (!allowed.Contains(args[i]))
            {
                error = $"unknown option '{args[i]}' for {args[0]}";
                return null;
            }

            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                error = $"{args[i]} needs a value";
                return null;
            }

            if (!options.TryAdd(args[i], args[i + 1]))
            {
                error = $"{args[i]} is given twice";
                return null;
            }
        }

        return args[0] == Generate ? ParseGenerate(options, out error) : ParseEvaluate(options, out error);
    }

    private static Command? ParseGenerate(Dictionary<string, string> options, out string? error)
    {
        error = null;
        if (!options.TryGetValue("--out", out var path))
        {
            error = "generate needs --out FILE";
            return null;
        }

        var defaults = new PlantedDatasetOptions();
        int? Number(string name, int fallback, int minimum, ref string? problem)
        {
            if (!options.TryGetValue(name, out var text))
            {
                return fallback;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum)
            {
                return value;
            }

            problem ??= $"{name} must be a whole number of at least {minimum}, not '{text}'";
            return null;
        }

        var seed = Number("--seed", defaults.Seed, int.MinValue, ref error);
        var items = Number("--items", defaults.Items, 3, ref error);
        var categories = Number("--categories", defaults.Categories, 1, ref error);
        var customers = Number("--customers", defaults.Customers, 1, ref error);
        var days = Number("--days", defaults.Days, 1, ref error);
        if (error is null && categories > items)
        {
            error = $"--categories ({categories}) cannot exceed --items ({items})";
        }

        if (error is not null)
        {
            return null;
        }

        var dataset = defaults with
        {
            Seed = seed!.Value,
            Items = items!.Value,
            Customers = customers!.Value,
            Days = days!.Value,
            Categories = options.ContainsKey("--categories") ? categories!.Value : Math.Min(defaults.Categories, Math.Max(1, items.Value / 3)),
        };
        return new Command(Generate, dataset, path);
    }

    private static Command? ParseEvaluate(Dictionary<string, string> options, out string? error)
    {
        error = null;
        if (!options.TryGetValue("--events", out var path))
        {
            error = "evaluate needs --events FILE";
            return null;
        }

        var split = OfflineEvaluator.DefaultSplit;
        if (options.TryGetValue("--split", out var text)
            && (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out split) || split is <= 0 or >= 1 || double.IsNaN(split)))
        {
            error = $"--split must be a number between 0 and 1 (exclusive), not '{text}'";
            return null;
        }

        return new Command(Evaluate, new PlantedDatasetOptions(), path, split);
    }
}
