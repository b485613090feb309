using System.Text.Json;
using RetentionPlatform.Events.Model;

namespace RetentionPlatform.Events.Tests;

public sealed class EventValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static (IncomingEvent? Event, Dictionary<string, string[]> Errors) Validate(string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = EventValidator.Validate(document.RootElement, Now);
        return (result.Event is null ? null : result.Event with { Properties = null }, result.Errors);
    }

    [Fact]
    public void AValidEventIsReadWithItsFields()
    {
        var (e, errors) = Validate("""{"eventId":"e-1","type":"order_placed","customerId":"c-1","occurredAt":"2026-11-23T10:00:00+01:00","properties":{"total":12.5}}""");

        Assert.Empty(errors);
        Assert.Equal(new IncomingEvent("e-1", "order_placed", "c-1", new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero), null), e);
    }

    [Fact]
    public void AMissingEventIdAndTimeAreAssigned()
    {
        var (e, _) = Validate("""{"type":"page_viewed","customerId":"c-1"}""");

        Assert.NotNull(e);
        Assert.Equal(32, e.EventId.Length);
        Assert.Equal(Now, e.OccurredAt);
    }

    [Theory]
    [InlineData("""{"customerId":"c-1"}""", "type")]
    [InlineData("""{"type":"order_placd","customerId":"c-1"}""", "type")]
    [InlineData("""{"type":"order_placed"}""", "customerId")]
    [InlineData("""{"type":"order_placed","customerId":42}""", "customerId")]
    [InlineData("""{"type":"order_placed","customerId":"   "}""", "customerId")]
    [InlineData("""{"type":"order_placed","customerId":"c-1","eventId":""}""", "eventId")]
    [InlineData("""{"type":"order_placed","customerId":"c-1","occurredAt":"yesterday"}""", "occurredAt")]
    [InlineData("""{"type":"order_placed","customerId":"c-1","occurredAt":"2026-11-23T10:00:00"}""", "occurredAt")]
    [InlineData("""{"type":"order_placed","customerId":"c-1","occurredAt":"2026-11-24T10:00:00Z"}""", "occurredAt")]
    [InlineData("""{"type":"order_placed","customerId":"c-1","properties":[1,2]}""", "properties")]
    [InlineData("""[1,2,3]""", "$")]
    public void AnInvalidEventNamesTheFieldAtFault(string json, string field)
    {
        var (e, errors) = Validate(json);

        Assert.Null(e);
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void ACustomerIdLongerThanTheLimitIsRefused()
    {
        var (_, errors) = Validate($$"""{"type":"identify","customerId":"{{new string('x', 129)}}"}""");

        Assert.Contains("customerId", errors.Keys);
    }

    [Theory]
    [InlineData("customerId", "{\"type\":\"identify\",\"customerId\":\"\u00ff\"}")]
    [InlineData("properties", "{\"type\":\"identify\",\"customerId\":\"c-1\",\"properties\":{\"note\":[\"\u00ff\"]}}")]
    [InlineData("properties", "{\"type\":\"identify\",\"customerId\":\"c-1\",\"properties\":{\"\u00ff\":1}}")]
    public void TextThatIsNotUtf8IsRefusedNotCrashedOn(string field, string template)
    {
        // U+00FF stands for a lone 0xFF byte, which no UTF-8 text contains.
        var bytes = System.Text.Encoding.UTF8.GetBytes(template).SelectMany(b => b == 0xC3 ? Array.Empty<byte>() : b == 0xBF ? [(byte)0xFF] : new[] { b }).ToArray();
        using var document = JsonDocument.Parse(bytes);

        var (e, errors) = EventValidator.Validate(document.RootElement, Now);

        Assert.Null(e);
        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var (_, errors) = Validate("""{"type":5,"customerId":null,"eventId":7}""");

        Assert.Equal(["customerId", "eventId", "type"], errors.Keys.Order());
    }
}
