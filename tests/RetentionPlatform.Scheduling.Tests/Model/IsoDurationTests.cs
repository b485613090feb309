using NodaTime;
using RetentionPlatform.Scheduling.Model;

namespace RetentionPlatform.Scheduling.Tests.Model;

/// <summary>ISO 8601 durations of days, hours, minutes and seconds: read leniently, written in the shortest form.</summary>
public sealed class IsoDurationTests
{
    [Theory]
    [InlineData("PT0S", 0)]
    [InlineData("PT45M", 45 * 60)]
    [InlineData("PT90M", 90 * 60)]
    [InlineData("PT24H", 24 * 3600)]
    [InlineData("P1D", 24 * 3600)]
    [InlineData("P1DT2H30M", 26 * 3600 + 30 * 60)]
    [InlineData("PT1H30M15S", 3600 + 30 * 60 + 15)]
    [InlineData("P90D", 90 * 86_400)]
    public void ADurationOfDaysHoursMinutesAndSecondsIsRead(string text, long seconds) =>
        Assert.Equal(Duration.FromSeconds(seconds), IsoDuration.Parse(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("P1M")]
    [InlineData("P1Y")]
    [InlineData("P1Y2D")]
    [InlineData("P1MT1H")]
    [InlineData("-PT1H")]
    [InlineData("PT-1H")]
    [InlineData("P1DT-25H")]
    [InlineData("pt1h")]
    [InlineData("1H")]
    [InlineData("T1H")]
    [InlineData("PT1H ")]
    [InlineData(" PT1H")]
    [InlineData("PT1X")]
    [InlineData("90")]
    public void TextThatIsNotANonNegativeDayTimeDurationIsRejected(string? text) => Assert.Null(IsoDuration.Parse(text));

    [Theory]
    [InlineData(0, "PT0S")]
    [InlineData(45 * 60, "PT45M")]
    [InlineData(2 * 3600, "PT2H")]
    [InlineData(90 * 60, "PT1H30M")]
    [InlineData(24 * 3600, "P1D")]
    [InlineData(24 * 3600 + 30 * 60, "P1DT30M")]
    [InlineData(26 * 3600 + 30 * 60, "P1DT2H30M")]
    [InlineData(3 * 86_400 + 5, "P3DT5S")]
    [InlineData(61, "PT1M1S")]
    [InlineData(90 * 86_400, "P90D")]
    public void FormatWritesTheShortestForm(long seconds, string text) =>
        Assert.Equal(text, IsoDuration.Format(Duration.FromSeconds(seconds)));

    [Theory]
    [InlineData("PT0S")]
    [InlineData("PT45M")]
    [InlineData("PT2H")]
    [InlineData("P1D")]
    [InlineData("P1DT2H30M")]
    [InlineData("P7DT23H59M59S")]
    public void ShortestFormsRoundTrip(string text) =>
        Assert.Equal(text, IsoDuration.Format(IsoDuration.Parse(text) ?? throw new InvalidOperationException(text)));

    [Theory]
    [InlineData("PT24H", "P1D")]
    [InlineData("PT90M", "PT1H30M")]
    [InlineData("PT3600S", "PT1H")]
    [InlineData("P0D", "PT0S")]
    [InlineData("P1DT24H", "P2D")]
    public void LongerFormsAreWrittenBackShortest(string text, string shortest) =>
        Assert.Equal(shortest, IsoDuration.Format(IsoDuration.Parse(text) ?? throw new InvalidOperationException(text)));

    [Fact]
    public void EveryWholeMinuteUpToTwoDaysRoundTrips()
    {
        for (var minutes = 0; minutes <= 2 * 24 * 60; minutes++)
        {
            var duration = Duration.FromMinutes(minutes);
            Assert.Equal(duration, IsoDuration.Parse(IsoDuration.Format(duration)));
        }
    }

    [Theory]
    [InlineData("P99999999D")]
    [InlineData("PT9999999999H")]
    [InlineData("PT999999999999M")]
    public void ADurationTooLongToRepresentIsRejectedRatherThanThrown(string text) => Assert.Null(IsoDuration.Parse(text));

    [Fact]
    public void AVeryLongDurationIsReadExactlyOrRejectedButNeverThrows()
    {
        // 200 000 days fits a Duration but not a count of nanoseconds in a long.
        var exception = Record.Exception(() => IsoDuration.Parse("P200000D"));

        Assert.Null(exception);
        Assert.Contains(IsoDuration.Parse("P200000D"), new Duration?[] { null, Duration.FromDays(200_000) });
    }

    [Theory]
    [InlineData("PT0.5S")]
    [InlineData("PT1.5S")]
    [InlineData("PT2.5S")]
    [InlineData("PT1M0.25S")]
    public void AnyDurationParseAcceptsIsWrittenBackAsTheSameDuration(string text)
    {
        if (IsoDuration.Parse(text) is { } duration)
        {
            Assert.Equal(duration, IsoDuration.Parse(IsoDuration.Format(duration)));
        }
    }
}
