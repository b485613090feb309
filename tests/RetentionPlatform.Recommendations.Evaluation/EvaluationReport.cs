using System.Globalization;

namespace RetentionPlatform.Recommendations.Evaluation;

/// <summary>Prints an evaluation as a small table: the model against the popularity baseline.</summary>
public static class EvaluationReport
{
    public static void Write(TextWriter output, EvaluationResult result)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"Split at {result.SplitAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z: {result.TrainEvents:N0} training events, {result.TestEvents:N0} test events, {result.CatalogItems:N0} catalog items"));
        output.WriteLine(string.Create(c, $"Customers evaluated: {result.CustomersEvaluated:N0} (with training interactions and a test-period purchase of an item new to them; {result.CustomersWithOnlyRepeatPurchases:N0} more bought only items they had already interacted with)"));
        output.WriteLine();
        output.WriteLine(string.Create(c, $"  {"",-22}{"HitRate@" + result.K,12}{"NDCG@" + result.K,12}{"Coverage",12}"));
        Row(output, "model", result.Model);
        Row(output, "popularity baseline", result.Baseline);
        output.WriteLine();

        var verdict = result.ModelBeatsBaseline
            ? "The model beats the popularity baseline"
            : "The model does NOT beat the popularity baseline on both HitRate and NDCG";
        output.WriteLine(string.Create(c, $"{verdict}: HitRate@{result.K} {Compare(result.Model.HitRate, result.Baseline.HitRate)}, NDCG@{result.K} {Compare(result.Model.Ndcg, result.Baseline.Ndcg)}."));
    }

    private static void Row(TextWriter output, string name, MetricSet metrics) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-22}{metrics.HitRate,12:0.0000}{metrics.Ndcg,12:0.0000}{metrics.Coverage,12:0.0000}"));

    private static string Compare(double model, double baseline)
    {
        var difference = string.Create(CultureInfo.InvariantCulture, $"{model - baseline:+0.0000;-0.0000}");
        return baseline > 0 ? string.Create(CultureInfo.InvariantCulture, $"{difference} ({model / baseline:0.00}x)") : difference;
    }
}
