using System.Net;
using System.Text;
using System.Text.Json;
using RetentionPlatform.Events.Apis;
using static RetentionPlatform.Events.Tests.TestEvents;

namespace RetentionPlatform.Events.Tests;

/// <summary>Both ingestion endpoints over real PostgreSQL and the embedded Kafka broker, checked on the topic itself.</summary>
public sealed class EventIngestionTests(EventsServiceFixture fixture) : IClassFixture<EventsServiceFixture>
{
    private EventsServiceHost Service => fixture.Host;

    [Fact]
    public async Task AMixedBatchGetsAResultPerEventInRequestOrderAndOnlyTheValidNewEventsArePublished()
    {
        var tenant = NewTenant();
        var tooLarge = $$$"""{"eventId":"big","type":"identify","customerId":"c-1","properties":{"note":"{{{new string('x', EventsApi.MaxEventBytes)}}}"}}""";
        var body = Batch(
            Event("e1"),
            """{"eventId":"e2","type":"order_placed","customerId":"c-2","occurredAt":"2026-01-10T11:00:00+01:00","properties":{"total":42.5}}""",
            """{"eventId":"e3","type":"order_plcd","customerId":"c-1"}""",
            Event("e1", type: "order_placed"),
            """{"type":"identify","customerId":42}""",
            tooLarge,
            "[1,2]");

        using var response = await Service.PostAsync("/v1/events/batch", tenant, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AssertJsonAsync($$$"""
            {"accepted":2,"duplicates":1,"invalid":4,"results":[
              {"index":0,"eventId":"e1","status":"accepted"},
              {"index":1,"eventId":"e2","status":"accepted"},
              {"index":2,"eventId":null,"status":"invalid","errors":{"type":["'order_plcd' is not an event type of the v1 catalog."]}},
              {"index":3,"eventId":"e1","status":"duplicate"},
              {"index":4,"eventId":null,"status":"invalid","errors":{"customerId":["The 'customerId' field must be a string."]}},
              {"index":5,"eventId":null,"status":"invalid","errors":{"$":["The event is {{{Encoding.UTF8.GetByteCount(tooLarge)}}} bytes; an event may be at most {{{EventsApi.MaxEventBytes}}} bytes."]}},
              {"index":6,"eventId":null,"status":"invalid","errors":{"$":["An event must be a JSON object."]}}
            ]}
            """, response);

        var published = CustomerEventsTopic.Read(tenant).OrderBy(e => e.EventId, StringComparer.Ordinal).ToList();
        Assert.Equal(["e1", "e2"], published.Select(e => e.EventId));
        Assert.Equal(("page_viewed", "c-1"), (published[0].EventType, published[0].CustomerId));
        Assert.Equal(("order_placed", "c-2", new DateTimeOffset(2026, 1, 10, 10, 0, 0, TimeSpan.Zero)), (published[1].EventType, published[1].CustomerId, published[1].OccurredAt));
        using var payload = JsonDocument.Parse(published[1].Payload);
        Assert.Equal(42.5m, payload.RootElement.GetProperty("properties").GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task SendingTheSameBatchAgainGivesOnlyDuplicatesAndPublishesNothingNew()
    {
        var tenant = NewTenant();
        var body = Batch(Event("r1"), Event("r2", "c-2"), """{"eventId":"r3"}""", Event("r4", "c-3"));

        using var first = await Service.PostAsync("/v1/events/batch", tenant, body);
        using var second = await Service.PostAsync("/v1/events/batch", tenant, body);

        await AssertJsonAsync("""
            {"accepted":3,"duplicates":0,"invalid":1,"results":[
              {"index":0,"eventId":"r1","status":"accepted"},
              {"index":1,"eventId":"r2","status":"accepted"},
              {"index":2,"eventId":null,"status":"invalid","errors":{"type":["The 'type' field is required."],"customerId":["The 'customerId' field is required."]}},
              {"index":3,"eventId":"r4","status":"accepted"}
            ]}
            """, first);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await AssertJsonAsync("""
            {"accepted":0,"duplicates":3,"invalid":1,"results":[
              {"index":0,"eventId":"r1","status":"duplicate"},
              {"index":1,"eventId":"r2","status":"duplicate"},
              {"index":2,"eventId":null,"status":"invalid","errors":{"type":["The 'type' field is required."],"customerId":["The 'customerId' field is required."]}},
              {"index":3,"eventId":"r4","status":"duplicate"}
            ]}
            """, second);
        Assert.Equal(["r1", "r2", "r4"], CustomerEventsTopic.EventIds(tenant));
    }

    [Fact]
    public async Task AThousandEventsInOneBatchAreAllAcceptedAndEachCustomersEventsKeepTheirOrderOnKafka()
    {
        var tenant = NewTenant();
        var ids = Enumerable.Range(0, EventsApi.MaxBatchEvents).Select(i => $"bulk-{i:D4}").ToList();

        using var response = await Service.PostAsync("/v1/events/batch", tenant, Batch(ids.Select((id, i) => Event(id, $"c-{i % 40}"))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1000, answer.RootElement.GetProperty("accepted").GetInt32());
        var results = answer.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(ids, results.Select(r => r.GetProperty("eventId").GetString()));
        Assert.All(results, (r, i) => Assert.Equal((i, "accepted"), (r.GetProperty("index").GetInt32(), r.GetProperty("status").GetString())));

        var published = CustomerEventsTopic.Read(tenant);
        Assert.Equal(ids, published.Select(e => e.EventId).Order(StringComparer.Ordinal));
        Assert.All(published.GroupBy(e => e.CustomerId), customer =>
            Assert.Equal(customer.Select(e => e.EventId).Order(StringComparer.Ordinal), customer.Select(e => e.EventId)));
    }

    [Fact]
    public async Task ABatchOfMoreThanAThousandEventsIs400NamingTheEventsFieldAndNothingIsPublished()
    {
        var tenant = NewTenant();

        using var response = await Service.PostAsync("/v1/events/batch", tenant, Batch(Enumerable.Range(0, 1001).Select(i => Event($"over-{i}"))));

        var problem = await AssertProblemAsync(HttpStatusCode.BadRequest, response);
        Assert.Equal("A batch holds 1 to 1000 events; this one holds 1001.", (string?)problem["errors"]!["events"]![0]);
        Assert.Empty(CustomerEventsTopic.Read(tenant));
    }

    [Theory]
    [InlineData("""{"events":[]}""", "events")]
    [InlineData("""{}""", "events")]
    [InlineData("""{"events":null}""", "events")]
    [InlineData("""{"events":{"eventId":"e1","type":"identify","customerId":"c-1"}}""", "events")]
    [InlineData("""[{"eventId":"e1","type":"identify","customerId":"c-1"}]""", "$")]
    public async Task ABatchWithoutAnEventsArrayOfOneToAThousandEventsIs400NamingTheField(string body, string field)
    {
        using var response = await Service.PostAsync("/v1/events/batch", NewTenant(), body);

        var problem = await AssertProblemAsync(HttpStatusCode.BadRequest, response);
        Assert.Equal([field], problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Theory]
    [InlineData("/v1/events/batch", """{"events":[""", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("/v1/events/batch", "", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("/v1/events/batch", """{"events":[]}""", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("/v1/events", """{"type": order_placed""", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("/v1/events", """{"type":"identify","customerId":"c-1"}""", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType)]
    public async Task AMalformedBodyGetsProblemDetails(string path, string body, string contentType, HttpStatusCode status)
    {
        using var response = await Service.PostAsync(path, NewTenant(), body, contentType);

        await AssertProblemAsync(status, response);
    }

    [Fact]
    public async Task ABatchLargerThanFourMebibytesIs413ProblemDetails()
    {
        var tenant = NewTenant();
        var note = new string('x', 60_000);
        var body = Batch(Enumerable.Range(0, 75).Select(i => $$$"""{"eventId":"huge-{{{i}}}","type":"identify","customerId":"c-1","properties":{"note":"{{{note}}}"}}"""));
        Assert.True(body.Length > EventsApi.MaxBatchBytes);

        using var response = await Service.PostAsync("/v1/events/batch", tenant, body, expectContinue: true);

        await AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, response);
        Assert.Empty(CustomerEventsTopic.Read(tenant));
    }

    [Fact]
    public async Task TheSameEventIdIsAcceptedOnceForEachTenant()
    {
        var (a, b) = (NewTenant(), NewTenant());

        using var forA = await Service.PostAsync("/v1/events", a, Event("shared"));
        using var forB = await Service.PostAsync("/v1/events/batch", b, Batch(Event("shared")));
        using var againForA = await Service.PostAsync("/v1/events", a, Event("shared"));

        await AssertJsonAsync("""{"eventId":"shared","status":"accepted"}""", forA);
        await AssertJsonAsync("""{"accepted":1,"duplicates":0,"invalid":0,"results":[{"index":0,"eventId":"shared","status":"accepted"}]}""", forB);
        await AssertJsonAsync("""{"eventId":"shared","status":"duplicate"}""", againForA);
        Assert.Equal(["shared"], CustomerEventsTopic.EventIds(a));
        Assert.Equal(["shared"], CustomerEventsTopic.EventIds(b));
    }

    [Fact]
    public async Task TheSingleEndpointAnswers202ForANewEventAnd200DuplicateForOneSentBeforeAlsoInABatch()
    {
        var tenant = NewTenant();

        using var first = await Service.PostAsync("/v1/events", tenant, Event("s1"));
        using var again = await Service.PostAsync("/v1/events", tenant, Event("s1", type: "order_placed"));
        using var batch = await Service.PostAsync("/v1/events/batch", tenant, Batch(Event("s2")));
        using var afterBatch = await Service.PostAsync("/v1/events", tenant, Event("s2"));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        await AssertJsonAsync("""{"eventId":"s1","status":"accepted"}""", first);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await AssertJsonAsync("""{"eventId":"s1","status":"duplicate"}""", again);
        Assert.Equal(HttpStatusCode.OK, afterBatch.StatusCode);
        await AssertJsonAsync("""{"eventId":"s2","status":"duplicate"}""", afterBatch);
        var published = CustomerEventsTopic.Read(tenant);
        Assert.Equal(["s1", "s2"], published.Select(e => e.EventId).Order(StringComparer.Ordinal));
        Assert.Equal("page_viewed", published.Single(e => e.EventId == "s1").EventType);
    }

    [Fact]
    public async Task AnInvalidSingleEventIs400NamingTheFieldAndIsNotPublished()
    {
        var tenant = NewTenant();

        using var response = await Service.PostAsync("/v1/events", tenant, """{"eventId":"bad","type":"order_plcd","customerId":"c-1"}""");

        var problem = await AssertProblemAsync(HttpStatusCode.BadRequest, response);
        Assert.Equal(["type"], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Empty(CustomerEventsTopic.Read(tenant));
    }

    [Fact]
    public async Task ABatchWithoutTheGatewaysSignatureIs401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events/batch") { Content = new StringContent(Batch(Event("x1")), Encoding.UTF8, "application/json") };
        request.Headers.Add(Tenancy.TenantHeaders.Tenant, NewTenant());

        using var response = await Service.Client.SendAsync(request);

        await AssertProblemAsync(HttpStatusCode.Unauthorized, response);
    }
}
