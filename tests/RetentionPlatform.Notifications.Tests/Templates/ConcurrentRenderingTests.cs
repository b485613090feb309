using RetentionPlatform.Notifications.Templates;

namespace RetentionPlatform.Notifications.Tests.Templates;

public sealed class ConcurrentRenderingTests
{
    [Fact]
    public void ConcurrentRendersEachSeeOnlyTheirOwnCustomer()
    {
        const int Threads = 8;
        const int RendersPerThread = 500;
        var renderer = new TemplateRenderer();
        var template = Sample.Template(
            subject: "Hi {{customer.firstName}}",
            html: "<p>{{customer.firstName}} <a href=\"{{track data.url}}\">{{formatDate data.at}}</a></p>",
            text: "{{customer.name}} {{track data.url}} {{formatDate data.at}}");
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var start = new Barrier(Threads);

        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var locale = t % 2 == 0 ? "en" : "de";
            var zone = t % 2 == 0 ? "Europe/Berlin" : "America/New_York";
            var expectedDate = t % 2 == 0 ? "Monday, 22 November 2027 at 09:00" : "Montag, 22. November 2027 um 03:00";
            start.SignalAndWait();
            for (var i = 0; i < RendersPerThread; i++)
            {
                var name = $"C{t}x{i}";
                var links = Sample.Links with { TrackClick = u => new Uri($"https://t.example.test/{name}?to={Uri.EscapeDataString(u.AbsoluteUri)}") };
                var context = Sample.Context(firstName: name, lastName: null, locale: locale, timeZone: zone, dataJson: """{"url":"https://shop.example.test/","at":"2027-11-22T09:00:00+01:00"}""") with { Links = links };
                var rendered = renderer.Render(template, context);
                if (rendered.Subject != $"Hi {name}"
                    || !rendered.Html!.Contains($"<p>{name} <a href=\"https://t.example.test/{name}?to=", StringComparison.Ordinal)
                    || !rendered.Html.Contains(expectedDate, StringComparison.Ordinal)
                    || !rendered.Text.StartsWith($"{name} https://t.example.test/{name}?to=https%3A%2F%2Fshop.example.test%2F {expectedDate}", StringComparison.Ordinal))
                {
                    failures.Enqueue($"{name}: {rendered}");
                }
            }
        })).ToList();

        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        Assert.Empty(failures);
    }
}
