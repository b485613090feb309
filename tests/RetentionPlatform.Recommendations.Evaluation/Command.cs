namespace RetentionPlatform.Recommendations.Evaluation;

/// <summary>What the command line asked for: <c>demo</c> (no arguments), <c>generate</c>, <c>evaluate</c> or <c>help</c>.</summary>
internal sealed record Command(string Name, PlantedDatasetOptions Dataset, string? Path = null, double Split = OfflineEvaluator.DefaultSplit);
