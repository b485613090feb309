using RetentionPlatform.Notifications.Templates;

namespace RetentionPlatform.Notifications.Tests.Templates;

public sealed class DateFormattingTests
{
    private readonly TemplateRenderer _renderer = new();

    [Theory]
    [InlineData("en", "2027-11-22T08:00:00Z", "Monday, 22 November 2027 at 09:00|2027-11-22T09:00:00+01:00")]
    [InlineData("de", "2027-11-22T08:00:00Z", "Montag, 22. November 2027 um 09:00|2027-11-22T09:00:00+01:00")]
    [InlineData("en", "2027-03-28T00:30:00Z", "Sunday, 28 March 2027 at 01:30|2027-03-28T01:30:00+01:00")]
    [InlineData("en", "2027-03-28T01:30:00Z", "Sunday, 28 March 2027 at 03:30|2027-03-28T03:30:00+02:00")]
    [InlineData("de", "2027-10-31T00:30:00Z", "Sonntag, 31. Oktober 2027 um 02:30|2027-10-31T02:30:00+02:00")]
    [InlineData("de", "2027-10-31T01:30:00Z", "Sonntag, 31. Oktober 2027 um 02:30|2027-10-31T02:30:00+01:00")]
    public void TheNextAppointmentIsShownInBerlinTimeAcrossDaylightSavingChanges(string locale, string utc, string expected)
    {
        var context = Sample.Context(locale: locale) with { NextAppointmentAt = DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture) };

        var rendered = _renderer.Render(Sample.Template(text: "{{nextAppointment.at}}|{{nextAppointment.iso}}"), context);

        Assert.StartsWith(expected + "\n", rendered.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "Europe/Berlin", "2027-10-31T02:30:00+02:00", "Sunday, 31 October 2027 at 02:30")]
    [InlineData("de", "Europe/Berlin", "2027-10-31T02:30:00+01:00", "Sonntag, 31. Oktober 2027 um 02:30")]
    [InlineData("de", "Europe/Berlin", "2027-10-31T01:30:00Z", "Sonntag, 31. Oktober 2027 um 02:30")]
    [InlineData("en", "America/New_York", "2027-10-31T02:30:00+01:00", "Saturday, 30 October 2027 at 21:30")]
    [InlineData("en", "Not/AZone", "2027-10-31T02:30:00+01:00", "Sunday, 31 October 2027 at 02:30")]
    [InlineData("en", "Europe/Berlin", "2027-07-04T10:15:00", "Sunday, 4 July 2027 at 10:15")]
    [InlineData("de", "Europe/Berlin", "2027-05-01", "Samstag, 1. Mai 2027")]
    [InlineData("en", "Europe/Berlin", "next Tuesday", "next Tuesday")]
    public void FormatDateShowsATimestampInTheCustomersZoneAndLanguage(string locale, string zone, string timestamp, string expected)
    {
        var context = Sample.Context(locale: locale, timeZone: zone, dataJson: $$"""{"at":"{{timestamp}}"}""");

        var rendered = _renderer.Render(Sample.Template(subject: "{{formatDate data.at}}"), context);

        Assert.Equal(expected, rendered.Subject);
    }

    [Fact]
    public void WithoutAnAppointmentTheNextAppointmentIsFalsy()
    {
        var rendered = _renderer.Render(Sample.Template(subject: "{{#if nextAppointment}}yes{{else}}no{{/if}}"), Sample.Context());

        Assert.Equal("no", rendered.Subject);
    }
}
