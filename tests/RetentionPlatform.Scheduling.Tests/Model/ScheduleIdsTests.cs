using RetentionPlatform.Scheduling.Model;

namespace RetentionPlatform.Scheduling.Tests.Model;

/// <summary>Ids of locations, resources and services: 1-64 ASCII letters, digits and <c>._:-</c>.</summary>
public sealed class ScheduleIdsTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("Z")]
    [InlineData("7")]
    [InlineData("chair-1")]
    [InlineData("loc.berlin:main_2")]
    [InlineData("._:-")]
    public void AnIdOfAllowedCharactersIsValid(string id) => Assert.Null(ScheduleIds.Validate(id, "resource"));

    [Fact]
    public void SixtyFourCharactersAreAllowedAndSixtyFiveAreNot()
    {
        Assert.Null(ScheduleIds.Validate(new string('x', ScheduleIds.MaxLength), "service"));
        Assert.Equal("A service id has at most 64 characters.", ScheduleIds.Validate(new string('x', ScheduleIds.MaxLength + 1), "service"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void AMissingIdIsRequired(string? id) => Assert.Equal("A location id is required.", ScheduleIds.Validate(id, "location"));

    [Theory]
    [InlineData("chair 1")]
    [InlineData(" chair")]
    [InlineData("chair/1")]
    [InlineData("a,b")]
    [InlineData("stühle")]
    [InlineData("chair\n")]
    [InlineData("chair\t1")]
    [InlineData("été")]
    [InlineData("a+b")]
    [InlineData("a@b")]
    [InlineData("１")]
    public void AnIdWithAnyOtherCharacterIsRejected(string id) =>
        Assert.Equal("A resource id uses only letters, digits and . _ : -", ScheduleIds.Validate(id, "resource"));

    [Fact]
    public void TooLongIsReportedBeforeBadCharacters() =>
        Assert.Equal("A resource id has at most 64 characters.", ScheduleIds.Validate(new string(' ', 65), "resource"));
}
