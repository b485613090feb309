using System.Text.Json;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Tests.Templates;

/// <summary>Templates and render contexts the template tests vary with <c>with</c>.</summary>
internal static class Sample
{
    public static readonly Uri Human = new("https://links.example.test/h/abc?sig=1&m=2");
    public static readonly Uri Unsubscribe = new("https://links.example.test/u/abc?sig=3&m=4");
    public static readonly Uri Feedback = new("https://links.example.test/f/abc?sig=5");
    public static readonly Uri Reschedule = new("https://book.example.test/salon");
    public static readonly Uri Cancel = new("https://links.example.test/c/abc?sig=6");

    public static MessageLinks Links { get; } = new(Human, Unsubscribe, null, null, null, null);

    public static RenderContext Context(string? firstName = "Ann", string? lastName = "Smith", string locale = "en", string timeZone = "Europe/Berlin", string dataJson = "{}") => new(
        new CustomerFacts("cust-1", firstName, lastName, "ann@example.test", "+4917000000"),
        "Salon Sonne",
        locale,
        timeZone,
        null,
        [],
        0,
        null,
        Json(dataJson),
        Links);

    public static MessageTemplate Template(string subject = "Hello", string? html = "<p>Hi</p>", string text = "Hi", string locale = "en") =>
        new("test", locale, subject, html, text, new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public static Uri Tracked(Uri target) => new("https://t.example.test/c?to=" + Uri.EscapeDataString(target.AbsoluteUri));

    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
