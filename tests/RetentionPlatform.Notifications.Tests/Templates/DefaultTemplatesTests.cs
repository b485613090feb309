using RetentionPlatform.Notifications.Model;
using RetentionPlatform.Notifications.Templates;

namespace RetentionPlatform.Notifications.Tests.Templates;

public sealed class DefaultTemplatesTests
{
    private const string ReminderData = """{"localStartsAt":"2027-11-22T09:00:00+01:00","serviceName":"Haircut"}""";

    private readonly TemplateRenderer _renderer = new();

    [Fact]
    public void EveryDefaultTemplateIsValidInEnglishAndGerman()
    {
        foreach (var id in DefaultTemplates.Ids)
        {
            foreach (var locale in new[] { "en", "de" })
            {
                var template = DefaultTemplates.Find(id, locale);
                Assert.NotNull(template);
                Assert.Equal(locale, template.Locale);
                Assert.Empty(_renderer.Validate(template));
            }
        }
    }

    [Theory]
    [InlineData("de-AT", "de")]
    [InlineData("DE", "de")]
    [InlineData("fr", "en")]
    [InlineData(null, "en")]
    public void FindFallsBackByLanguageThenToEnglish(string? locale, string expected)
    {
        Assert.Equal(expected, DefaultTemplates.Find(DefaultTemplates.AppointmentReminder, locale)?.Locale);
    }

    [Fact]
    public void AnUnknownIdHasNoDefault()
    {
        Assert.Null(DefaultTemplates.Find("birthday", "en"));
    }

    [Fact]
    public void TheEnglishReminderNamesTheServiceTimeAndLinks()
    {
        var context = Sample.Context(dataJson: ReminderData) with { Links = Sample.Links with { Reschedule = Sample.Reschedule, Cancel = Sample.Cancel } };

        var rendered = _renderer.Render(DefaultTemplates.Find(DefaultTemplates.AppointmentReminder, "en")!, context);

        Assert.Equal("Reminder: your appointment at Salon Sonne", rendered.Subject);
        Assert.Contains("<p>Hi Ann,</p>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("<strong>Haircut</strong> appointment at Salon Sonne on <strong>Monday, 22 November 2027 at 09:00</strong>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://book.example.test/salon\">Reschedule</a>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://links.example.test/c/abc?sig=6\">Cancel the appointment</a>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains(">Questions? Talk to a person</a>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("Haircut appointment at Salon Sonne on Monday, 22 November 2027 at 09:00.", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("Cancel the appointment: https://links.example.test/c/abc?sig=6", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("Unsubscribe: https://links.example.test/u/abc?sig=3&m=4", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheGermanReminderWithoutCancelLinkOrServiceLeavesThemOut()
    {
        var context = Sample.Context(firstName: null, locale: "de", dataJson: """{"localStartsAt":"2027-11-22T09:00:00+01:00"}""");

        var rendered = _renderer.Render(DefaultTemplates.Find(DefaultTemplates.AppointmentReminder, "de")!, context);

        Assert.Equal("Erinnerung: Ihr Termin bei Salon Sonne", rendered.Subject);
        Assert.Contains("<p>Guten Tag,</p>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("wir erinnern Sie an Ihren Termin bei Salon Sonne am <strong>Montag, 22. November 2027 um 09:00</strong>.", rendered.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("absagen", rendered.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("verschieben", rendered.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("absagen", rendered.Text, StringComparison.Ordinal);
        Assert.Contains(">Fragen? Sprechen Sie mit einem Menschen</a>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("Abmelden: https://links.example.test/u/abc?sig=3&m=4", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheGermanReminderWithACancelLinkOffersIt()
    {
        var context = Sample.Context(locale: "de", dataJson: ReminderData) with { Links = Sample.Links with { Cancel = Sample.Cancel } };

        var rendered = _renderer.Render(DefaultTemplates.Find(DefaultTemplates.AppointmentReminder, "de")!, context);

        Assert.Contains("<a href=\"https://links.example.test/c/abc?sig=6\">Termin absagen</a>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("Termin absagen: https://links.example.test/c/abc?sig=6", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("(Haircut)", rendered.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "How was your visit to Salon Sonne?", "Tell us in one minute")]
    [InlineData("de", "Wie war Ihr Besuch bei Salon Sonne?", "Sagen Sie es uns")]
    public void TheFeedbackRequestLinksToTheFeedbackForm(string locale, string subject, string linkText)
    {
        var context = Sample.Context(locale: locale) with { Links = Sample.Links with { Feedback = Sample.Feedback } };

        var rendered = _renderer.Render(DefaultTemplates.Find(DefaultTemplates.AppointmentFeedback, locale)!, context);

        Assert.Equal(subject, rendered.Subject);
        Assert.Contains($"<a href=\"https://links.example.test/f/abc?sig=5\">{linkText}", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("https://links.example.test/f/abc?sig=5", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheReminderTracksTheRescheduleLinkWhenTheMessageIsTracked()
    {
        var context = Sample.Context(dataJson: ReminderData) with { Links = Sample.Links with { Reschedule = Sample.Reschedule, TrackClick = Sample.Tracked } };

        RenderedMessage rendered = _renderer.Render(DefaultTemplates.Find(DefaultTemplates.AppointmentReminder, "en")!, context);

        Assert.Contains("Reschedule: https://t.example.test/c?to=https%3A%2F%2Fbook.example.test%2Fsalon", rendered.Text, StringComparison.Ordinal);
    }
}
