// The offline evaluation of the recommendation model (issue 5): planted datasets, and the model's top 10 against a
// popularity baseline on a time split. Run with no arguments to generate the default planted dataset in memory and
// evaluate it; `help` prints the usage.
using System.Diagnostics;
using System.Globalization;
using RetentionPlatform.Recommendations.Evaluation;

if (CommandLine.Parse(args, out var error) is not { } command)
{
    Console.Error.WriteLine($"error: {error}");
    Console.Error.WriteLine();
    Console.Error.WriteLine(CommandLine.Usage);
    return 2;
}

var clock = Stopwatch.StartNew();
try
{
    switch (command.Name)
    {
        case CommandLine.Help:
            Console.WriteLine(CommandLine.Usage);
            return 0;
        case CommandLine.Generate:
            var written = PlantedDataset.Generate(command.Dataset);
            EventsFile.WriteAll(command.Path!, written);
            Console.WriteLine(Describe(command.Dataset, written.Count) + $", written to {command.Path}");
            return 0;
        case CommandLine.Evaluate:
            var read = EventsFile.ReadAll(command.Path!);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{command.Path}: {read.Count:N0} events"));
            EvaluationReport.Write(Console.Out, new OfflineEvaluator().Evaluate(read, command.Split));
            break;
        default:
            var events = PlantedDataset.Generate(command.Dataset);
            Console.WriteLine(Describe(command.Dataset, events.Count));
            EvaluationReport.Write(Console.Out, new OfflineEvaluator().Evaluate(events));
            break;
    }
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or EventsFileException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"({clock.Elapsed.TotalSeconds:0.0} s)"));
return 0;

static string Describe(PlantedDatasetOptions o, int events) => string.Create(
    CultureInfo.InvariantCulture,
    $"Planted dataset: seed {o.Seed}, {o.Items:N0} items in {o.Categories} categories, {o.Customers:N0} customers, {o.Days} days: {events:N0} events");
