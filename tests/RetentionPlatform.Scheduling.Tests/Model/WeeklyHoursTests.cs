using NodaTime;
using RetentionPlatform.Scheduling.Model;

namespace RetentionPlatform.Scheduling.Tests.Model;

/// <summary>Working hours read from and written as text, with every problem reported under its field.</summary>
public sealed class WeeklyHoursTests
{
    private const string Field = "workingHours";

    private static (WeeklyHours? Hours, Dictionary<string, string[]> Errors) Parse(params (string Day, (string? Start, string? End)[] Intervals)[] days)
    {
        var text = days.ToDictionary(
            d => d.Day,
            d => (IReadOnlyList<WorkingHoursText>)[.. d.Intervals.Select(i => new WorkingHoursText(i.Start, i.End))],
            StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        return (WeeklyHours.Parse(text, errors, Field), errors);
    }

    private static WeeklyHours Valid(params (string Day, (string? Start, string? End)[] Intervals)[] days)
    {
        var (hours, errors) = Parse(days);
        Assert.Empty(errors);
        return Assert.IsType<WeeklyHours>(hours);
    }

    [Fact]
    public void ADayWithABreakIsReadAsTwoIntervalsAndOtherDaysAreOff()
    {
        var hours = Valid(("monday", [("09:00", "12:00"), ("13:00", "17:30")]), ("saturday", [("10:00", "14:00")]));

        Assert.Equal([new WorkingInterval(540, 720), new WorkingInterval(780, 1050)], hours.On(IsoDayOfWeek.Monday));
        Assert.Equal([new WorkingInterval(600, 840)], hours.On(IsoDayOfWeek.Saturday));
        Assert.Empty(hours.On(IsoDayOfWeek.Tuesday));
        Assert.Empty(hours.On(IsoDayOfWeek.Sunday));
    }

    [Fact]
    public void IntervalsGivenOutOfOrderAreSorted()
    {
        var hours = Valid(("friday", [("13:00", "17:00"), ("08:00", "12:00")]));

        Assert.Equal([new WorkingInterval(480, 720), new WorkingInterval(780, 1020)], hours.On(IsoDayOfWeek.Friday));
    }

    [Fact]
    public void NoDaysAtAllIsValidAndNeverWorks()
    {
        var hours = Valid();

        Assert.All(Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None), d => Assert.Empty(hours.On(d)));
        Assert.Empty(hours.ToText());
    }

    [Theory]
    [InlineData("Monday")]
    [InlineData("mon")]
    [InlineData("funday")]
    [InlineData("")]
    public void AnUnknownDayNameIsRejected(string day)
    {
        var (hours, errors) = Parse((day, [("09:00", "17:00")]));

        Assert.Null(hours);
        Assert.Contains($"'{day}' is not a day", Assert.Single(errors[$"{Field}.{day}"]), StringComparison.Ordinal);
        Assert.Single(errors);
    }

    [Theory]
    [InlineData("25:00", "26:00")]
    [InlineData("09:00", "25:00")]
    [InlineData("24:00", "24:00")]
    [InlineData("09:00", "24:01")]
    [InlineData("9:00", "17:00")]
    [InlineData("09:00", "17:0")]
    [InlineData("09:60", "17:00")]
    [InlineData("09:00:00", "17:00")]
    [InlineData("0900", "1700")]
    [InlineData(" 9:00", "17:00")]
    [InlineData("09.00", "17.00")]
    [InlineData("ab:cd", "17:00")]
    [InlineData(null, "17:00")]
    [InlineData("09:00", null)]
    [InlineData("", "")]
    public void ATimeThatIsNotHoursAndMinutesIsRejected(string? start, string? end)
    {
        var (hours, errors) = Parse(("tuesday", [("08:00", "08:30"), (start, end)]));

        Assert.Null(hours);
        Assert.Equal(["workingHours.tuesday[1]"], errors.Keys);
    }

    [Fact]
    public void TwentyFourHundredIsAcceptedAsAnEndOnly()
    {
        var hours = Valid(("sunday", [("00:00", "24:00")]), ("monday", [("18:00", "24:00")]));

        Assert.Equal([new WorkingInterval(0, WorkingInterval.EndOfDay)], hours.On(IsoDayOfWeek.Sunday));
        Assert.Equal([new WorkingInterval(1080, 1440)], hours.On(IsoDayOfWeek.Monday));
        Assert.Null(Parse(("sunday", [("24:00", "24:00")])).Hours);
    }

    [Theory]
    [InlineData("17:00", "09:00")]
    [InlineData("09:00", "09:00")]
    [InlineData("23:59", "00:00")]
    public void AnEndThatIsNotAfterTheStartIsRejected(string start, string end)
    {
        var (hours, errors) = Parse(("wednesday", [(start, end)]));

        Assert.Null(hours);
        Assert.Contains("must be after the start", Assert.Single(errors["workingHours.wednesday[0]"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("09:00", "13:00", "12:00", "17:00")]
    [InlineData("12:00", "17:00", "09:00", "12:01")]
    [InlineData("09:00", "17:00", "10:00", "11:00")]
    [InlineData("09:00", "17:00", "09:00", "17:00")]
    public void OverlappingIntervalsAreRejected(string firstStart, string firstEnd, string secondStart, string secondEnd)
    {
        var (hours, errors) = Parse(("thursday", [(firstStart, firstEnd), (secondStart, secondEnd)]));

        Assert.Null(hours);
        Assert.Equal(["workingHours.thursday"], errors.Keys);
    }

    [Fact]
    public void AdjacentIntervalsDoNotOverlap()
    {
        var hours = Valid(("thursday", [("12:00", "17:00"), ("09:00", "12:00")]));

        Assert.Equal([new WorkingInterval(540, 720), new WorkingInterval(720, 1020)], hours.On(IsoDayOfWeek.Thursday));
    }

    [Fact]
    public void EveryProblemIsReportedAtOnceAndEarlierErrorsAreKept()
    {
        var text = new Dictionary<string, IReadOnlyList<WorkingHoursText>>(StringComparer.Ordinal)
        {
            ["monday"] = [new("09:00", "17:00")],
            ["tuesday"] = [new("09:00", "25:00"), new("18:00", "17:00")],
            ["caturday"] = [new("09:00", "17:00")],
            ["friday"] = [new("09:00", "13:00"), new("12:00", "14:00")],
        };
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["name"] = ["Give a name."] };

        var hours = WeeklyHours.Parse(text, errors, "resources[2].workingHours");

        Assert.Null(hours);
        Assert.Equal(
            ["name", "resources[2].workingHours.caturday", "resources[2].workingHours.friday", "resources[2].workingHours.tuesday[0]", "resources[2].workingHours.tuesday[1]"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EarlierErrorsOfOtherFieldsDoNotFailValidHours()
    {
        var text = new Dictionary<string, IReadOnlyList<WorkingHoursText>>(StringComparer.Ordinal) { ["monday"] = [new("09:00", "17:00")] };
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["name"] = ["Give a name."] };

        Assert.NotNull(WeeklyHours.Parse(text, errors, Field));
        Assert.Equal(["name"], errors.Keys);
    }

    [Fact]
    public void ToTextWritesTheWorkingDaysOnlyWithTwoDigitClocks()
    {
        var hours = Valid(("sunday", [("00:00", "24:00")]), ("monday", [("13:05", "17:00"), ("08:00", "12:30")]), ("friday", []));

        var text = hours.ToText();

        Assert.Equal(["monday", "sunday"], text.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([new WorkingHoursText("08:00", "12:30"), new WorkingHoursText("13:05", "17:00")], text["monday"]);
        Assert.Equal([new WorkingHoursText("00:00", "24:00")], text["sunday"]);
    }

    [Fact]
    public void ToTextRoundTripsThroughParse()
    {
        var original = Valid(
            ("monday", [("09:00", "12:00"), ("13:00", "17:00")]),
            ("tuesday", [("07:15", "11:45")]),
            ("wednesday", [("00:00", "00:01"), ("23:59", "24:00")]),
            ("thursday", [("00:00", "24:00")]),
            ("friday", [("09:00", "12:00"), ("12:00", "13:00"), ("14:00", "18:30")]),
            ("saturday", [("10:00", "14:00")]),
            ("sunday", [("11:11", "22:22")]));

        var text = original.ToText();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var reread = WeeklyHours.Parse(text.ToDictionary(p => p.Key, p => (IReadOnlyList<WorkingHoursText>)p.Value, StringComparer.Ordinal), errors, Field);

        Assert.Empty(errors);
        Assert.NotNull(reread);
        Assert.All(Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None), d => Assert.Equal(original.On(d), reread.On(d)));
        Assert.Equal(text.Keys, reread.ToText().Keys);
        Assert.All(text, p => Assert.Equal(p.Value, reread.ToText()[p.Key]));
    }
}
