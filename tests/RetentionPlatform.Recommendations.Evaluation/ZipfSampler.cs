namespace RetentionPlatform.Recommendations.Evaluation;

/// <summary>
/// Draws 0..n-1 with probability proportional to 1 / (rank + 1)^s, the ranks a random permutation: the long-tail
/// popularity of items and customers in the planted data set and the benchmark's synthetic shop.
/// </summary>
public sealed class ZipfSampler
{
    private readonly double[] _cumulative;
    private readonly int[] _byRank;

    public ZipfSampler(int count, double exponent, Random random)
    {
        _byRank = [.. Enumerable.Range(0, count)];
        random.Shuffle(_byRank);
        _cumulative = new double[count];
        var total = 0.0;
        for (var rank = 0; rank < count; rank++)
        {
            total += 1 / Math.Pow(rank + 1, exponent);
            _cumulative[rank] = total;
        }
    }

    public int Next(Random random)
    {
        var rank = Array.BinarySearch(_cumulative, random.NextDouble() * _cumulative[^1]);
        rank = rank < 0 ? ~rank : rank;
        return _byRank[Math.Min(rank, _byRank.Length - 1)];
    }
}
