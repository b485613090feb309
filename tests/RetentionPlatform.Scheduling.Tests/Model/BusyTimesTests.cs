using NodaTime;
using RetentionPlatform.Scheduling.Model;
using static RetentionPlatform.Scheduling.Tests.Model.Schedules;

namespace RetentionPlatform.Scheduling.Tests.Model;

/// <summary>Busy intervals are merged into sorted disjoint ones and tested for overlap as half-open intervals.</summary>
public sealed class BusyTimesTests
{
    private static readonly Instant Ten = Utc("2027-06-07T10:00:00Z");

    private static Instant At(int minutes) => Ten + Duration.FromMinutes(minutes);

    private static Interval Between(int fromMinutes, int untilMinutes) => new(At(fromMinutes), At(untilMinutes));

    [Fact]
    public void OverlappingAndAdjacentIntervalsAreMergedAndSorted()
    {
        var busy = new BusyTimes([Between(240, 300), Between(30, 120), Between(0, 60), Between(120, 180)]);

        Assert.Equal([Between(0, 180), Between(240, 300)], busy.Intervals);
    }

    [Fact]
    public void AContainedIntervalIsAbsorbed()
    {
        var busy = new BusyTimes([Between(0, 240), Between(60, 120), Between(230, 250)]);

        Assert.Equal([Between(0, 250)], busy.Intervals);
    }

    [Fact]
    public void EmptyAndUnboundedIntervalsAreIgnored()
    {
        var busy = new BusyTimes([new Interval(At(10), At(10)), new Interval(null, At(0)), new Interval(At(500), null), Between(60, 120)]);

        Assert.Equal([Between(60, 120)], busy.Intervals);
    }

    [Fact]
    public void NoneIsFreeAlways()
    {
        Assert.Empty(BusyTimes.None.Intervals);
        Assert.False(BusyTimes.None.Overlaps(Instant.MinValue, Instant.MaxValue));
    }

    [Theory]
    [InlineData(-60, 0, false)]
    [InlineData(60, 120, false)]
    [InlineData(-60, 1, true)]
    [InlineData(59, 120, true)]
    [InlineData(10, 20, true)]
    [InlineData(-10, 70, true)]
    [InlineData(0, 60, true)]
    public void OverlapIsHalfOpen(int fromMinutes, int untilMinutes, bool overlaps)
    {
        var busy = new BusyTimes([Between(0, 60)]);

        Assert.Equal(overlaps, busy.Overlaps(At(fromMinutes), At(untilMinutes)));
    }

    [Fact]
    public void TheFirstAndLastTickOfABusyIntervalCount()
    {
        var busy = new BusyTimes([Between(0, 60)]);

        Assert.True(busy.Overlaps(Ten - Duration.FromMinutes(5), Ten + Duration.Epsilon));
        Assert.True(busy.Overlaps(At(60) - Duration.Epsilon, At(90)));
        Assert.False(busy.Overlaps(Ten - Duration.FromMinutes(5), Ten));
    }

    [Fact]
    public void EveryGapBetweenManyIntervalsIsFreeAndEveryIntervalIsBusy()
    {
        // Busy for 20 minutes out of every 30, 200 times: the binary search must find the right neighbour everywhere.
        var busy = new BusyTimes(Enumerable.Range(0, 200).Reverse().Select(i => Between(i * 30, i * 30 + 20)));

        Assert.Equal(200, busy.Intervals.Count());
        for (var i = 0; i < 200; i++)
        {
            Assert.False(busy.Overlaps(At(i * 30 + 20), At(i * 30 + 30)), $"gap {i}");
            Assert.True(busy.Overlaps(At(i * 30 + 19), At(i * 30 + 20)), $"end of {i}");
            Assert.True(busy.Overlaps(At(i * 30 + 5), At(i * 30 + 6)), $"inside {i}");
            Assert.True(busy.Overlaps(At(i * 30 - 5), At(i * 30 + 1)), $"start of {i}");
        }

        Assert.True(busy.Overlaps(At(-10), At(6000)));
        Assert.False(busy.Overlaps(At(-10), At(0)));
        Assert.False(busy.Overlaps(At(5990), At(7000)));
    }
}
