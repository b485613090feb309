namespace RetentionPlatform.Scheduling.Benchmarks;

/// <summary>One slot of a booking race: when each racer's attempt was in flight, and how many won it.</summary>
internal sealed class RaceSlot(PlannedBooking slot)
{
    private readonly List<(long Started, long Ended)> _attempts = [];
    private int _winners;

    public PlannedBooking Slot => slot;

    public int Attempts
    {
        get
        {
            lock (_attempts)
            {
                return _attempts.Count;
            }
        }
    }

    public int Winners => Volatile.Read(ref _winners);

    /// <summary>Whether at least two attempts were in flight at the same moment (a real race, not a late loser).</summary>
    public bool Raced
    {
        get
        {
            lock (_attempts)
            {
                var ordered = _attempts.OrderBy(a => a.Started).ToList();
                var latestEnd = long.MinValue;
                foreach (var (started, ended) in ordered)
                {
                    if (started < latestEnd)
                    {
                        return true;
                    }

                    latestEnd = Math.Max(latestEnd, ended);
                }

                return false;
            }
        }
    }

    /// <summary>Whether every attempt was in flight at one moment: the last one started before the first one ended.</summary>
    public bool AllInFlightTogether
    {
        get
        {
            lock (_attempts)
            {
                return _attempts.Max(a => a.Started) < _attempts.Min(a => a.Ended);
            }
        }
    }

    public void Record(long started, long ended, int status)
    {
        lock (_attempts)
        {
            _attempts.Add((started, ended));
        }

        if (status == 201)
        {
            Interlocked.Increment(ref _winners);
        }
    }
}
