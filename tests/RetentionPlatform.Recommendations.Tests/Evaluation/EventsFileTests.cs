using System.Text;
using RetentionPlatform.Recommendations.Evaluation;
using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.Tests.Evaluation;

public sealed class EventsFileTests
{
    private const string Example = """
        {"eventId":"e-1","type":"order_placed","customerId":"c-42","occurredAt":"2026-11-23T10:15:00Z","properties":{"itemIds":["sku-1","sku-2"]}}

        {"eventId":"e-2","type":"product_viewed","customerId":"c-42","occurredAt":"2026-11-23T10:16:30.5+01:00","properties":{"itemId":"sku-3","category":"coffee","price":12.5,"name":"Espresso beans"}}
        {"eventId":"e-3","type":"cart_updated","customerId":"c-42","occurredAt":"2026-11-23T10:17:00Z","properties":{"itemIds":["sku-3"]}}
        {"eventId":"e-4","type":"email_opened","customerId":"c-42","occurredAt":"2026-11-23T10:18:00Z","properties":{"campaignId":"x"}}
        """;

    [Fact]
    public void TheDocumentedEventShapesAreReadAndBlankLinesSkipped()
    {
        var events = EventsFile.Read(new StringReader(Example)).ToList();

        Assert.Equal(4, events.Count);
        Assert.Equal(
            new CustomerEvent("e-1", CustomerEvent.OrderPlaced, "c-42", new DateTimeOffset(2026, 11, 23, 10, 15, 0, TimeSpan.Zero), ["sku-1", "sku-2"]),
            events[0]);
        Assert.Equal(
            new CustomerEvent("e-2", CustomerEvent.ProductViewed, "c-42", new DateTimeOffset(2026, 11, 23, 9, 16, 30, 500, TimeSpan.Zero), ["sku-3"], new ItemDetails("coffee", 12.5m, "Espresso beans")),
            events[1]);
        Assert.Equal(["sku-3"], events[2].ItemIds);
        Assert.Equal(TimeSpan.Zero, events[1].OccurredAt.Offset);
        Assert.Equal("email_opened", events[3].Type);
    }

    [Fact]
    public void ViewsCartsAndOrdersBecomeInteractionsAndOtherTypesNone()
    {
        var events = EventsFile.Read(new StringReader(Example)).ToList();

        Assert.Equal(
            [("sku-1", InteractionKind.Purchase), ("sku-2", InteractionKind.Purchase), ("sku-3", InteractionKind.View), ("sku-3", InteractionKind.Cart)],
            events.SelectMany(e => e.ToInteractions()).Select(i => (i.ItemId, i.Kind)));
    }

    [Fact]
    public void APlantedDatasetRoundTripsThroughAFile()
    {
        var events = PlantedDataset.Generate(new PlantedDatasetOptions { Items = 100, Categories = 4, Customers = 80, Days = 10 });
        var path = Path.Combine(Path.GetTempPath(), $"events-{Guid.NewGuid():N}.jsonl");
        try
        {
            EventsFile.WriteAll(path, events);

            Assert.Equal(events, EventsFile.ReadAll(path));
            Assert.Equal(events.Count, File.ReadLines(path).Count());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void EveryShapeRoundTripsThroughAStream()
    {
        var at = new DateTimeOffset(2026, 11, 23, 10, 15, 0, 123, TimeSpan.Zero);
        CustomerEvent[] events =
        [
            new("e-1", CustomerEvent.ProductViewed, "c-1", at, ["sku-1"], new ItemDetails("tea", 3.25m, "Green \"tea\" ✓")),
            new("e-2", CustomerEvent.ProductViewed, "c-1", at, ["sku-2"], new ItemDetails(null, null, "Only a name")),
            new("e-3", CustomerEvent.ProductViewed, "c-1", at, ["sku-3"]),
            new("e-4", CustomerEvent.CartUpdated, "c-1", at, []),
            new("e-5", CustomerEvent.OrderPlaced, "c-1", at.AddTicks(1), ["sku-1", "sku-2", "sku-1"]),
            new("e-6", "page_viewed", "c-2", at, []),
        ];
        using var stream = new MemoryStream();

        EventsFile.Write(stream, events);
        stream.Position = 0;
        var read = EventsFile.Read(new StreamReader(stream, Encoding.UTF8)).ToList();

        Assert.Equal(events, read);
    }

    [Theory]
    [InlineData("{\"eventId\":\"e-9\",\"type\":\"order_placed\"", "malformed JSON")]
    [InlineData("{\"type\":\"order_placed\",\"customerId\":\"c-1\",\"occurredAt\":\"2026-11-23T10:15:00Z\"}", "eventId")]
    [InlineData("{\"eventId\":\"e-9\",\"type\":\"order_placed\",\"customerId\":\"c-1\",\"occurredAt\":\"yesterday\"}", "occurredAt")]
    [InlineData("{\"eventId\":\"e-9\",\"type\":\"order_placed\",\"customerId\":\"c-1\",\"occurredAt\":\"2026-11-23T10:15:00Z\",\"properties\":{\"itemIds\":\"sku-1\"}}", "itemIds")]
    [InlineData("{\"eventId\":\"e-9\",\"type\":\"product_viewed\",\"customerId\":\"c-1\",\"occurredAt\":\"2026-11-23T10:15:00Z\",\"properties\":{\"itemId\":\"sku-1\",\"price\":\"cheap\"}}", "price")]
    [InlineData("[1,2,3]", "object")]
    public void AMalformedLineIsAnErrorNamingItsLineNumber(string line, string problem)
    {
        var file = $"{Example}\n\n{line}\n";

        var error = Assert.Throws<EventsFileException>(() => EventsFile.Read(new StringReader(file)).ToList());

        Assert.Equal(7, error.LineNumber);
        Assert.StartsWith("Line 7 ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
