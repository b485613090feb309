using System.Globalization;

namespace RetentionPlatform.Scheduling.Benchmarks;

/// <summary>What a booking race achieved: attempts answered 201 and 409 (with their latencies), anything else, and per slot asked for by all its racers, how many won.</summary>
internal sealed record RaceResult(
    double Seconds,
    Latencies Created,
    Latencies Conflicts,
    IReadOnlyDictionary<int, int> Others,
    int CompleteSlots,
    int SlotsWithOneWinner,
    int SlotsWithNoWinner,
    int SlotsWithSeveralWinners,
    int RacedSlots,
    int AllInFlightSlots)
{
    public int Booked => Created.Calls;

    public int Attempts => Created.Calls + Conflicts.Calls + Others.Values.Sum();

    public double BookedPerSecond => Booked / Seconds;

    public double AttemptsPerSecond => Attempts / Seconds;

    public string OtherAnswers => Others.Count == 0
        ? "no other answers"
        : string.Join(", ", Others.OrderBy(p => p.Key).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Value:N0} x {(p.Key < 0 ? "exception" : p.Key.ToString(CultureInfo.InvariantCulture))}")));

    public IEnumerable<string> Describe(string indent)
    {
        var c = CultureInfo.InvariantCulture;
        yield return string.Create(c, $"{indent}{Booked:N0} booked (201) in {Seconds:0.0} s = {BookedPerSecond,7:N0} bookings/s; {Attempts:N0} attempts = {AttemptsPerSecond:N0} attempts/s; {Conflicts.Calls:N0} x 409, {OtherAnswers}");
        yield return $"{indent}201 latency: {Created.Percentiles}";
        yield return $"{indent}409 latency: {Conflicts.Percentiles}";
        yield return string.Create(c, $"{indent}{CompleteSlots:N0} slots asked for by all their racers: {SlotsWithOneWinner:N0} with exactly one winner, {SlotsWithNoWinner} with none, {SlotsWithSeveralWinners} with several; {RacedSlots:N0} ({(double)RacedSlots / Math.Max(1, CompleteSlots):P0}) had attempts in flight together, {AllInFlightSlots:N0} ({(double)AllInFlightSlots / Math.Max(1, CompleteSlots):P0}) had all of them in flight at once");
    }
}
