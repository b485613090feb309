using RetentionPlatform.Notifications.Templates;

namespace RetentionPlatform.Notifications.Tests.Templates;

public sealed class TemplateValidationTests
{
    private readonly TemplateRenderer _renderer = new();

    [Fact]
    public void AWellFormedTemplateHasNoProblems()
    {
        var template = Sample.Template(
            subject: "Hi {{customer.firstName}}",
            html: "{{#if customer.firstName}}<p>{{customer.firstName}}</p>{{/if}}{{#each data.items}}{{name}}{{/each}}<a href=\"{{track links.feedback}}\">x</a>",
            text: "{{formatDate data.localStartsAt}}");

        Assert.Empty(_renderer.Validate(template));
    }

    [Theory]
    [InlineData("<p>{{{customer.firstName}}}</p>")]
    [InlineData("<p>{{&customer.firstName}}</p>")]
    [InlineData("<p>{{~{customer.firstName}~}}</p>")]
    [InlineData("{{{{raw}}}}{{x}}{{{{/raw}}}}")]
    public void RawOutputIsRefused(string html)
    {
        var problem = Assert.Single(_renderer.Validate(Sample.Template(html: html)));

        Assert.Equal("html", problem.Field);
        Assert.Contains("raw output would bypass escaping", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<p>{{#if customer.firstName}}open</p>")]
    [InlineData("<p>{{customer.firstName</p>")]
    [InlineData("<p>{{/each}}</p>")]
    public void ASyntaxErrorInTheHtmlIsReportedForTheHtml(string html)
    {
        var problem = Assert.Single(_renderer.Validate(Sample.Template(html: html)));

        Assert.Equal("html", problem.Field);
        Assert.StartsWith("Handlebars syntax error", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASyntaxErrorIsReportedForThePartItIsIn()
    {
        var problems = _renderer.Validate(Sample.Template(subject: "{{#if x}}", text: "{{y"));

        Assert.Equal(["subject", "text"], problems.Select(p => p.Field));
    }

    [Fact]
    public void AnUnknownHelperIsFoundByTheTrialRender()
    {
        var problem = Assert.Single(_renderer.Validate(Sample.Template(text: "{{shout customer.firstName}}")));

        Assert.Equal("text", problem.Field);
        Assert.Contains("shout", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASubjectOver250CharactersIsRefusedButSurroundingWhitespaceDoesNotCount()
    {
        Assert.Empty(_renderer.Validate(Sample.Template(subject: "  " + new string('a', 250) + "  ")));

        var problem = Assert.Single(_renderer.Validate(Sample.Template(subject: new string('a', 251))));
        Assert.Equal("subject", problem.Field);
    }

    [Fact]
    public void ASubjectSpanningLinesIsRefusedButATrailingNewlineIsTrimmed()
    {
        Assert.Empty(_renderer.Validate(Sample.Template(subject: "Hello\r\n")));

        var problem = Assert.Single(_renderer.Validate(Sample.Template(subject: "Hello\nBcc: x@example.test")));
        Assert.Equal("subject", problem.Field);
    }

    [Fact]
    public void OversizedBodiesAreRefusedByTheirUtf8Size()
    {
        Assert.Empty(_renderer.Validate(Sample.Template(html: new string('a', 256 * 1024), text: new string('a', 64 * 1024))));

        var problems = _renderer.Validate(Sample.Template(html: new string('a', 256 * 1024 + 1), text: new string('ä', 32 * 1024 + 1)));

        Assert.Equal(["html", "text"], problems.Select(p => p.Field));
    }
}
