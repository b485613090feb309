using System.Text.Json;
using RetentionPlatform.Notifications.Model;
using RetentionPlatform.Notifications.Templates;

namespace RetentionPlatform.Notifications.Tests.Templates;

public sealed class TemplateRendererTests
{
    private readonly TemplateRenderer _renderer = new();

    [Fact]
    public void NamesDataAndEachOverArraysArePersonalised()
    {
        var template = Sample.Template(
            subject: "For {{customer.name}}",
            html: "<p>Hi {{customer.firstName}} {{customer.lastName}} ({{customer.customerId}}) at {{business.name}}</p><ul>{{#each data.items}}<li>{{name}}: {{qty}}</li>{{/each}}</ul><p>{{data.appointment.serviceName}}</p><p>{{#each recommendations}}[{{name}}|{{category}}|{{price}}|{{url}}]{{/each}} cart {{cart.itemCount}}/{{cart.value}} {{locale}}</p>",
            text: "Hi {{customer.name}} {{customer.email}} {{customer.phone}}{{#each data.items}} {{name}}x{{qty}}{{/each}} {{data.appointment.serviceName}}");
        var context = Sample.Context(dataJson: """{"items":[{"name":"Shampoo","qty":2},{"name":"Comb","qty":1.5}],"appointment":{"serviceName":"Haircut"}}""") with
        {
            Recommendations = [new RecommendedItem("i1", "Conditioner", "care", "12.50", new Uri("https://shop.example.test/i1"))],
            CartItemCount = 3,
            CartValue = "42.10",
        };

        var rendered = _renderer.Render(template, context);

        Assert.Equal("For Ann Smith", rendered.Subject);
        Assert.Contains("<p>Hi Ann Smith (cust-1) at Salon Sonne</p>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("<li>Shampoo: 2</li><li>Comb: 1.5</li>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("<p>Haircut</p>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("[Conditioner|care|12.50|https://shop.example.test/i1] cart 3/42.10 en", rendered.Html, StringComparison.Ordinal);
        Assert.StartsWith("Hi Ann Smith ann@example.test +4917000000 Shampoox2 Combx1.5 Haircut", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ACustomerWithoutANameGetsAnEmptyNameAndTheTemplateChoosesTheGreeting()
    {
        var template = Sample.Template(text: "[{{customer.name}}] {{#if customer.name}}Hi {{customer.name}}{{else}}Hello{{/if}}");

        var rendered = _renderer.Render(template, Sample.Context(firstName: null, lastName: " "));

        Assert.StartsWith("[] Hello", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingValuesRenderEmptyInsteadOfThrowing()
    {
        var template = Sample.Template(
            subject: "[{{nope}}][{{data.a.b.c}}][{{nextAppointment.at}}]",
            html: "<p>[{{customer.nope.deeper}}][{{formatDate data.missing}}][{{track data.missing}}]</p>",
            text: "[{{links.feedback}}][{{cart.value}}]{{#each data.none}}x{{/each}}");

        var rendered = _renderer.Render(template, Sample.Context(dataJson: "{}") with { Data = default(JsonElement) });

        Assert.Equal("[][][]", rendered.Subject);
        Assert.Contains("<p>[][][]</p>", rendered.Html, StringComparison.Ordinal);
        Assert.StartsWith("[][]", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void AHostileFirstNameIsEscapedInTheHtml()
    {
        var template = Sample.Template(html: "<p>Hi {{customer.firstName}}</p><a href=\"https://x.example.test/?n={{customer.firstName}}\">x</a>");

        var rendered = _renderer.Render(template, Sample.Context(firstName: "<script>alert(1)</script>"));

        Assert.DoesNotContain("<script", rendered.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", rendered.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSanitiserRemovesScriptsEventHandlersAndJavascriptUrlsFromTheTemplate()
    {
        var template = Sample.Template(html: """
            <html><head><title>t</title></head><body>
            <table width="100%"><tr><td style="color: red" onclick="steal()">Cell</td></tr></table>
            <script>alert(1)</script>
            <a href="javascript:alert(1)">bad</a> <a href="JaVaScRiPt:alert(2)">bad2</a>
            <a href="https://shop.example.test/">good</a> <a href="mailto:info@example.test">mail</a>
            <img src="https://cdn.example.test/logo.png" alt="logo" onerror="x()"><img src="/relative.png">
            </body></html>
            """);

        var html = _renderer.Render(template, Sample.Context()).Html!;

        Assert.DoesNotContain("script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("relative.png", html, StringComparison.Ordinal);
        Assert.Contains("<td style=\"color: rgba(255, 0, 0, 1)\">Cell</td>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://shop.example.test/\">good</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"mailto:info@example.test\">mail</a>", html, StringComparison.Ordinal);
        Assert.Contains("<img src=\"https://cdn.example.test/logo.png\" alt=\"logo\">", html, StringComparison.Ordinal);
        Assert.Contains("<a>bad</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a>bad2</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void InlineStylesAreSanitisedTheSameWayInEveryMessage()
    {
        var template = Sample.Template(html: """
            <p style="color: red; background-image: url(javascript:alert(1))">a</p>
            <p style="width: expression(alert(1)); font-size: 14px">b</p>
            <p style="background: url(https://cdn.example.test/bg.png)">c</p>
            <p style="color: {{data.color}}">d</p>
            <p style="behavior: url(x.htc)">e</p>
            """);

        for (var i = 0; i < 2; i++)
        {
            var html = _renderer.Render(template, Sample.Context(dataJson: """{"color":"blue; background: url(javascript:alert(2))"}""")).Html!;

            Assert.DoesNotContain("javascript", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("expression", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("behavior", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("<p style=\"color: rgba(255, 0, 0, 1)\">a</p>", html, StringComparison.Ordinal);
            Assert.Contains("<p style=\"font-size: 14px\">b</p>", html, StringComparison.Ordinal);
            Assert.Contains("url(&quot;https://cdn.example.test/bg.png&quot;)", html, StringComparison.Ordinal);
            Assert.Contains("<p>e</p>", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheSubjectAndTextKeepAmpersandsUnescapedWhileTheHtmlEscapesThem()
    {
        var template = Sample.Template(subject: "{{business.name}} & friends", html: "<p>{{business.name}}</p>", text: "{{business.name}}");
        var context = Sample.Context() with { BusinessName = "Hair & Beauty <Berlin>" };

        var rendered = _renderer.Render(template, context);

        Assert.Equal("Hair & Beauty <Berlin> & friends", rendered.Subject);
        Assert.StartsWith("Hair & Beauty <Berlin>", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("<p>Hair &amp; Beauty &lt;Berlin&gt;</p>", rendered.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void ALineBreakInARenderedValueCannotSplitTheSubject()
    {
        var rendered = _renderer.Render(Sample.Template(subject: "Hi {{customer.firstName}}"), Sample.Context(firstName: "Ann\r\nBcc: x@example.test"));

        Assert.Equal("Hi Ann  Bcc: x@example.test", rendered.Subject);
    }

    [Fact]
    public void MissingHumanAndUnsubscribeLinksAreAppendedToBothParts()
    {
        var rendered = _renderer.Render(Sample.Template(html: "<p>Hi</p>", text: "Hi"), Sample.Context());

        Assert.Contains("<a href=\"https://links.example.test/h/abc?sig=1&amp;m=2\" style=\"color:#6b7280\">Questions? Talk to a person</a>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://links.example.test/u/abc?sig=3&amp;m=4\" style=\"color:#6b7280\">Unsubscribe</a>", rendered.Html, StringComparison.Ordinal);
        Assert.Equal(
            "Hi\n\nQuestions? Talk to a person: https://links.example.test/h/abc?sig=1&m=2\nUnsubscribe: https://links.example.test/u/abc?sig=3&m=4",
            rendered.Text);
    }

    [Fact]
    public void TheFooterIsInTheMessagesLanguageAndFallsBackToEnglish()
    {
        var german = _renderer.Render(Sample.Template(locale: "de"), Sample.Context(locale: "de-AT"));
        var french = _renderer.Render(Sample.Template(locale: "fr"), Sample.Context(locale: "fr"));

        Assert.Contains(">Fragen? Sprechen Sie mit einem Menschen</a>", german.Html, StringComparison.Ordinal);
        Assert.Contains("Abmelden: https://links.example.test/u/abc?sig=3&m=4", german.Text, StringComparison.Ordinal);
        Assert.Contains(">Unsubscribe</a>", french.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void LinksTheTemplateAlreadyOffersAreNotDuplicated()
    {
        var template = Sample.Template(
            html: "<p><a href=\"{{links.human}}\">Talk to us</a> <a href=\"{{links.unsubscribe}}\">Stop</a></p>",
            text: "Talk to us: {{links.human}}\nStop: {{links.unsubscribe}}");

        var rendered = _renderer.Render(template, Sample.Context());

        Assert.Equal("<p><a href=\"https://links.example.test/h/abc?sig=1&amp;m=2\">Talk to us</a> <a href=\"https://links.example.test/u/abc?sig=3&amp;m=4\">Stop</a></p>", rendered.Html);
        Assert.Equal("Talk to us: https://links.example.test/h/abc?sig=1&m=2\nStop: https://links.example.test/u/abc?sig=3&m=4", rendered.Text);
    }

    [Fact]
    public void OnlyTheLinkTheTemplateLeftOutIsAppended()
    {
        var template = Sample.Template(html: "<a href=\"{{links.unsubscribe}}\">Stop</a>", text: "Stop: {{links.unsubscribe}}");

        var rendered = _renderer.Render(template, Sample.Context());

        Assert.Single(AllIndexes(rendered.Html!, "u/abc"));
        Assert.Single(AllIndexes(rendered.Html!, "h/abc"));
        Assert.Single(AllIndexes(rendered.Text, "u/abc"));
        Assert.EndsWith("\n\nQuestions? Talk to a person: https://links.example.test/h/abc?sig=1&m=2", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ATrackedHumanLinkCountsAsPresent()
    {
        var template = Sample.Template(html: "<a href=\"{{track links.human}}\">Talk</a>", text: "{{track links.human}}");
        var context = Sample.Context() with { Links = Sample.Links with { TrackClick = Sample.Tracked } };

        var rendered = _renderer.Render(template, context);

        Assert.DoesNotContain("Questions? Talk to a person", rendered.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Questions? Talk to a person", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("Unsubscribe", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ATextOnlyTemplateRendersNoHtmlButStillGetsTheLinks()
    {
        var rendered = _renderer.Render(Sample.Template(html: null, text: "Hi {{customer.firstName}}"), Sample.Context());

        Assert.Null(rendered.Html);
        Assert.Contains("Unsubscribe: https://links.example.test/u/abc?sig=3&m=4", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyTextBecomesJustTheLinks()
    {
        var rendered = _renderer.Render(Sample.Template(text: "{{data.nothing}}  "), Sample.Context());

        Assert.Equal("Questions? Talk to a person: https://links.example.test/h/abc?sig=1&m=2\nUnsubscribe: https://links.example.test/u/abc?sig=3&m=4", rendered.Text);
    }

    [Fact]
    public void TheTrackHelperWrapsOnlyAbsoluteHttpUrls()
    {
        var template = Sample.Template(text: "{{track data.web}}|{{track data.secure}}|{{track data.mail}}|{{track data.relative}}|{{track data.script}}");
        var data = """{"web":"http://a.example.test/x","secure":"https://b.example.test/y?q=1","mail":"mailto:c@example.test","relative":"/path","script":"javascript:alert(1)"}""";
        var tracked = Sample.Context(dataJson: data) with { Links = Sample.Links with { TrackClick = Sample.Tracked } };
        var untracked = Sample.Context(dataJson: data);

        var withTracking = _renderer.Render(template, tracked).Text;
        var withoutTracking = _renderer.Render(template, untracked).Text;

        Assert.StartsWith(
            "https://t.example.test/c?to=http%3A%2F%2Fa.example.test%2Fx|https://t.example.test/c?to=https%3A%2F%2Fb.example.test%2Fy%3Fq%3D1|mailto:c@example.test|/path|javascript:alert(1)\n",
            withTracking,
            StringComparison.Ordinal);
        Assert.StartsWith("http://a.example.test/x|https://b.example.test/y?q=1|mailto:c@example.test|/path|javascript:alert(1)\n", withoutTracking, StringComparison.Ordinal);
    }

    [Fact]
    public void ATrackedLinkInTheHtmlSurvivesEscapingAndSanitising()
    {
        var template = Sample.Template(html: "<a href=\"{{track data.url}}\">Shop</a>");
        var context = Sample.Context(dataJson: """{"url":"https://shop.example.test/?a=1&b=2"}""") with { Links = Sample.Links with { TrackClick = Sample.Tracked } };

        var html = _renderer.Render(template, context).Html!;

        Assert.Contains("<a href=\"https://t.example.test/c?to=https%3A%2F%2Fshop.example.test%2F%3Fa%3D1%26b%3D2\">Shop</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void AFailingHelperBecomesATemplateRenderException()
    {
        var template = Sample.Template(html: "<a href=\"{{track data.url}}\">x</a>");
        var context = Sample.Context(dataJson: """{"url":"https://a.example.test/"}""") with
        {
            Links = Sample.Links with { TrackClick = _ => throw new InvalidOperationException("signing key missing") },
        };

        var thrown = Assert.Throws<TemplateRenderException>(() => _renderer.Render(template, context));

        Assert.Equal("html", thrown.Field);
        Assert.Equal("test", thrown.TemplateId);
        Assert.Contains("signing key missing", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownHelperBecomesATemplateRenderException()
    {
        var thrown = Assert.Throws<TemplateRenderException>(() => _renderer.Render(Sample.Template(text: "{{shout customer.firstName}}"), Sample.Context()));

        Assert.Equal("text", thrown.Field);
        Assert.Contains("shout", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderingAnInvalidTemplateThrowsWithItsProblems()
    {
        var thrown = Assert.Throws<TemplateRenderException>(() => _renderer.Render(Sample.Template(html: "<p>{{{customer.firstName}}}</p>"), Sample.Context()));

        Assert.Equal("html", Assert.Single(thrown.Problems).Field);
    }

    [Fact]
    public void TheSameSourcesAreCompiledOnceAndTheCacheStaysBounded()
    {
        var renderer = new TemplateRenderer(cacheCapacity: 20);

        for (var i = 0; i < 5; i++)
        {
            renderer.Render(Sample.Template(text: "Same {{customer.firstName}}"), Sample.Context());
        }

        Assert.Equal(1, renderer.CachedTemplates);

        for (var i = 0; i < 100; i++)
        {
            renderer.Render(Sample.Template(text: $"Template {i} {{{{customer.firstName}}}}"), Sample.Context());
        }

        Assert.InRange(renderer.CachedTemplates, 1, 20);
        Assert.StartsWith("Template 99 Ann", renderer.Render(Sample.Template(text: "Template 99 {{customer.firstName}}"), Sample.Context()).Text, StringComparison.Ordinal);
    }

    private static List<int> AllIndexes(string text, string value)
    {
        var found = new List<int>();
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
        {
            found.Add(at);
        }

        return found;
    }
}
