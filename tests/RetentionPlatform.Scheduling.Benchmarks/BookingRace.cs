using System.Diagnostics;

namespace RetentionPlatform.Scheduling.Benchmarks;

/// <summary>
/// Booking under contention, closed loop: <c>groups x racers</c> clients; the racers of a group all try to book the
/// same slots, one after the other, each as another customer, so every slot is asked for by every racer of its group
/// and exactly one may get it. Groups take their slots from a shared pool of free, non-overlapping slots. An attempt
/// answers an HTTP status: 201 booked, 409 taken by someone else; anything else, or an exception (-1), is unexpected.
/// </summary>
internal static class BookingRace
{
    public static async Task<RaceResult> RunAsync(
        int groups, int racers, TimeSpan duration, SlotPool pool, string customerPrefix, Func<PlannedBooking, string, Task<int>> attempt)
    {
        var slots = Enumerable.Range(0, groups).Select(_ => new List<RaceSlot>()).ToArray();
        var created = new List<double>();
        var conflicts = new List<double>();
        var others = new Dictionary<int, int>();
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, groups * racers).Select(client => Task.Run(async () =>
        {
            var (group, racer) = Math.DivRem(client, racers);
            var mine = slots[group];
            var myCreated = new List<double>();
            var myConflicts = new List<double>();
            for (var k = 0; stopwatch.Elapsed < duration; k++)
            {
                RaceSlot? slot;
                lock (mine)
                {
                    while (mine.Count <= k && pool.Take() is { } next)
                    {
                        mine.Add(new RaceSlot(next));
                    }

                    slot = k < mine.Count ? mine[k] : null;
                }

                if (slot is null)
                {
                    break;
                }

                var started = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    status = await attempt(slot.Slot, $"{customerPrefix}-g{group}r{racer}-{k}");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or Npgsql.NpgsqlException)
                {
                    status = -1;
                }

                var ended = Stopwatch.GetTimestamp();
                var milliseconds = Stopwatch.GetElapsedTime(started, ended).TotalMilliseconds;
                slot.Record(started, ended, status);
                switch (status)
                {
                    case 201:
                        myCreated.Add(milliseconds);
                        break;
                    case 409:
                        myConflicts.Add(milliseconds);
                        break;
                    default:
                        lock (others)
                        {
                            others[status] = others.GetValueOrDefault(status) + 1;
                        }

                        break;
                }
            }

            lock (created)
            {
                created.AddRange(myCreated);
                conflicts.AddRange(myConflicts);
            }
        })));

        var elapsed = stopwatch.Elapsed.TotalSeconds;
        var complete = slots.SelectMany(s => s).Where(s => s.Attempts == racers).ToList();
        return new RaceResult(
            elapsed,
            Latencies.From(created, 0, elapsed),
            Latencies.From(conflicts, 0, elapsed),
            others,
            complete.Count,
            complete.Count(s => s.Winners == 1),
            complete.Count(s => s.Winners == 0),
            complete.Count(s => s.Winners > 1),
            complete.Count(s => s.Raced),
            complete.Count(s => s.AllInFlightTogether));
    }
}
