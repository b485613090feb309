using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using NodaTime;
using RetentionPlatform.Contracts.Profiles.V1;
using RetentionPlatform.Standalone;

namespace RetentionPlatform.EndToEnd.Tests;

/// <summary>
/// The Profiles API as a partner uses it, through the gateway: updates, the contact decision, human requests,
/// segments and their members, export, erasure, merge, the contact policy, errors, tenant isolation, and gRPC.
/// </summary>
public sealed class ProfilesApiTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>, IDisposable
{
    private readonly PartnerClient _demo = new(fixture.Platform.GatewayHttpUrl, StandaloneOptions.DemoApiKey);
    private readonly PartnerClient _other = new(fixture.Platform.GatewayHttpUrl, StandaloneOptions.OtherApiKey);
    private readonly HttpClient _http = new() { BaseAddress = fixture.Platform.GatewayHttpUrl };

    public void Dispose()
    {
        _demo.Dispose();
        _other.Dispose();
        _http.Dispose();
    }

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static string PathOf(string customerId) => $"/v1/customers/{Uri.EscapeDataString(customerId)}";

    [Fact]
    public async Task ConsentPreferencesAndEventsDecideTheContactAllowDenyAndDeferInQuietHours()
    {
        // A slash in the id travels as %2F through the gateway and back.
        var customer = NewId("shop/c");
        var day = ZoneWhereTheHourIsNow(13);
        var night = ZoneWhereTheHourIsNow(2);

        var consent = await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Put, $"{PathOf(customer)}/consent", """{"channel":"email","purpose":"marketing","granted":true,"source":"checkout"}"""));
        Assert.Equal(customer, (string?)consent!["customerId"]);
        Assert.True((bool)consent["consent"]!["email:marketing"]!["granted"]!);
        Assert.Equal("checkout", (string?)consent["consent"]!["email:marketing"]!["source"]);

        var preferences = await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Patch, $"{PathOf(customer)}/preferences", $$"""{"timeZone":"{{day}}","quietHoursStart":"22:00","quietHoursEnd":"07:00","preferredChannel":"email"}"""));
        Assert.Equal(day, (string?)preferences!["timeZone"]);
        Assert.Equal(22 * 60, (int)preferences["preferences"]!["quietHoursStartMinute"]!);
        Assert.Equal("email", (string?)preferences["preferences"]!["preferredChannel"]);

        (await _demo.PostEventAsync($$$"""{"eventId":"{{{NewId("e")}}}","type":"order_placed","customerId":"{{{customer}}}","occurredAt":"2026-01-10T10:00:00Z","properties":{"total":20}}""")).EnsureSuccessStatusCode();
        var profile = await WaitForProfileAsync(_demo, customer, p => (int)p["commerce"]!["orders"]! == 1);
        Assert.Equal(3, (long)profile["eventCount"]!);

        var allowed = await DecideAsync(customer, "email", "marketing");
        Assert.Equal("allow", (string?)allowed["outcome"]);
        Assert.Equal("allowed", (string?)allowed["reason"]);

        var noConsent = await DecideAsync(customer, "sms", "marketing");
        Assert.Equal("deny", (string?)noConsent["outcome"]);
        Assert.Equal("no_consent", (string?)noConsent["reason"]);

        await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Patch, $"{PathOf(customer)}/preferences", $$"""{"timeZone":"{{night}}"}"""));
        var deferred = await DecideAsync(customer, "email", "marketing");
        Assert.Equal("defer", (string?)deferred["outcome"]);
        Assert.Equal("quiet_hours", (string?)deferred["reason"]);
        var until = DateTimeOffset.Parse((string)deferred["deferUntil"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(until, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(6));

        var decisions = (await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Get, PathOf(customer))))!["recentDecisions"]!.AsArray();
        string[] reasons = ["allowed", "no_consent", "quiet_hours"];
        Assert.Equal(reasons, decisions.Select(d => (string?)d!["reason"]).TakeLast(3));
    }

    [Fact]
    public async Task AskingForAHumanDeniesMarketingWithReasonHumanOwner()
    {
        var customer = NewId("human");
        await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Put, $"{PathOf(customer)}/consent", """{"channel":"email","purpose":"marketing","granted":true}"""));
        await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Patch, $"{PathOf(customer)}/preferences", $$"""{"timeZone":"{{ZoneWhereTheHourIsNow(13)}}","quietHoursStart":"22:00","quietHoursEnd":"07:00"}"""));
        Assert.Equal("allow", (string?)(await DecideAsync(customer, "email", "marketing"))["outcome"]);

        var created = await ExpectAsync(HttpStatusCode.Created, Demo(HttpMethod.Post, $"{PathOf(customer)}/human-requests", """{"reason":"I was charged twice"}"""));
        var caseId = (string?)created!["caseId"];
        Assert.False(string.IsNullOrEmpty(caseId));

        var denied = await DecideAsync(customer, "email", "marketing");
        Assert.Equal("deny", (string?)denied["outcome"]);
        Assert.Equal("human_owner", (string?)denied["reason"]);
        Assert.Contains(caseId!, (string?)denied["detail"], StringComparison.Ordinal);
        Assert.Equal("allow", (string?)(await DecideAsync(customer, "email", "transactional"))["outcome"]);

        var openCase = (await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Get, PathOf(customer))))!["support"]!["openCases"]![caseId!]!;
        Assert.True((bool)openCase["humanRequested"]!);
        Assert.Equal("I was charged twice", (string?)openCase["reason"]);
    }

    [Fact]
    public async Task APauseDefersServiceMessagesUntilItIsClearedWithNull()
    {
        var customer = NewId("pause");
        var until = DateTimeOffset.UtcNow.AddDays(2).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var paused = await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Patch, $"{PathOf(customer)}/preferences", $$"""{"timeZone":"{{ZoneWhereTheHourIsNow(13)}}","quietHoursStart":"22:00","quietHoursEnd":"07:00","pausedUntil":"{{until}}"}"""));
        Assert.NotNull(paused!["preferences"]!["pausedUntil"]);

        var deferred = await DecideAsync(customer, "email", "service");
        Assert.Equal(("defer", "paused"), ((string?)deferred["outcome"], (string?)deferred["reason"]));
        Assert.Equal(DateTimeOffset.Parse(until, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse((string)deferred["deferUntil"]!, System.Globalization.CultureInfo.InvariantCulture));

        var resumed = await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Patch, $"{PathOf(customer)}/preferences", """{"pausedUntil":null}"""));
        Assert.Null(resumed!["preferences"]!["pausedUntil"]);
        Assert.Equal("allow", (string?)(await DecideAsync(customer, "email", "service"))["outcome"]);
    }

    [Fact]
    public async Task ASegmentListsTheCustomersAnEventMadeEnterItPageByPage()
    {
        var segment = NewId("big-spenders");
        var definition = """{"name":"Big spenders","conditions":[{"field":"revenue","operator":"gte","value":100}]}""";
        var created = await ExpectAsync(HttpStatusCode.Created, Demo(HttpMethod.Put, $"/v1/segments/{segment}", definition));
        Assert.Equal(segment, (string?)created!["id"]);
        Assert.Equal("100", (string?)created["conditions"]![0]!["value"]);
        await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Put, $"/v1/segments/{segment}", definition));
        var listed = (await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Get, "/v1/segments")))!["segments"]!.AsArray();
        Assert.Contains(segment, listed.Select(s => (string?)s!["id"]));

        string[] big = [NewId("a-big"), NewId("b-big")];
        var small = NewId("small");
        foreach (var (customer, total) in big.Select(c => (c, 150)).Append((small, 10)))
        {
            (await _demo.PostEventAsync($$$"""{"eventId":"{{{NewId("o")}}}","type":"order_placed","customerId":"{{{customer}}}","occurredAt":"2026-01-10T10:00:00Z","properties":{"total":{{{total}}}}}""")).EnsureSuccessStatusCode();
        }

        await WaitForProfileAsync(_demo, small, p => (long)p["eventCount"]! == 1);
        var members = await WaitForMembersAsync(segment, expected: 2);
        Assert.Equal(big.Order(StringComparer.Ordinal), members);
        Assert.DoesNotContain(small, members);
        var profile = await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Get, PathOf(big[0])));
        Assert.NotNull(profile!["segments"]![segment]);

        var first = await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Get, $"/v1/segments/{segment}/members?limit=1"));
        Assert.Single(first!["members"]!.AsArray());
        var next = (string?)first["next"];
        Assert.Equal(members[0], next);
        var second = await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Get, $"/v1/segments/{segment}/members?limit=1&after={Uri.EscapeDataString(next!)}"));
        Assert.Equal(members[1], (string?)second!["members"]![0]!["customerId"]);
        Assert.Null((string?)second["next"]);

        await ExpectAsync(HttpStatusCode.NoContent, Demo(HttpMethod.Delete, $"/v1/segments/{segment}"));
        await ExpectAsync(HttpStatusCode.NotFound, Demo(HttpMethod.Get, $"/v1/segments/{segment}"));
        await ExpectAsync(HttpStatusCode.NotFound, Demo(HttpMethod.Get, $"/v1/segments/{segment}/members"));
    }

    [Fact]
    public async Task ExportGivesTheWholeDocumentAndErasureForgetsTheCustomer()
    {
        var customer = NewId("erase");
        var email = $"{customer}@example.com";
        await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Post, $"{PathOf(customer)}/identify", $$$"""{"email":"{{{email}}}","firstName":"Ann","externalIds":{"pos":"C-1043"}}"""));
        await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Patch, $"{PathOf(customer)}/traits", """{"tier":"gold","visits":3,"vip":true}"""));
        var resolved = await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Get, $"/v1/customers/resolve?alias={Uri.EscapeDataString("email:" + email.ToUpperInvariant())}"));
        Assert.Equal(customer, (string?)resolved!["customerId"]);

        using (var export = await Demo(HttpMethod.Get, $"{PathOf(customer)}/export"))
        {
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
            Assert.Equal("application/json", export.Content.Headers.ContentType?.MediaType);
            Assert.Equal("attachment", export.Content.Headers.ContentDisposition?.DispositionType);
            var document = JsonNode.Parse(await export.Content.ReadAsStringAsync())!;
            Assert.Equal(customer, (string?)document["customerId"]);
            Assert.Equal(email, (string?)document["profile"]!["identity"]!["email"]);
            Assert.Equal("gold", (string?)document["profile"]!["traits"]!["tier"]);
        }

        await ExpectAsync(HttpStatusCode.NoContent, Demo(HttpMethod.Delete, PathOf(customer)));
        await ExpectAsync(HttpStatusCode.NotFound, Demo(HttpMethod.Get, PathOf(customer)));
        await ExpectAsync(HttpStatusCode.NotFound, Demo(HttpMethod.Get, $"{PathOf(customer)}/export"));
        await ExpectAsync(HttpStatusCode.NotFound, Demo(HttpMethod.Get, $"/v1/customers/resolve?alias={Uri.EscapeDataString("email:" + email)}"));
        await ExpectAsync(HttpStatusCode.Conflict, Demo(HttpMethod.Patch, $"{PathOf(customer)}/traits", """{"tier":"silver"}"""));
        Assert.Equal("erased", (string?)(await DecideAsync(customer, "email", "transactional"))["reason"]);
        await ExpectAsync(HttpStatusCode.NoContent, Demo(HttpMethod.Delete, PathOf(customer)));
    }

    [Fact]
    public async Task MergingTwoCustomersCombinesTheirProfilesAndForwardsTheSource()
    {
        var target = NewId("keep");
        var source = NewId("dupe");
        var email = $"{source}@example.com";
        (await _demo.PostEventAsync(NewId("e"), target, "page_viewed", "2026-01-10T09:00:00Z")).EnsureSuccessStatusCode();
        (await _demo.PostEventAsync(NewId("e"), target, "page_viewed", "2026-01-10T09:05:00Z")).EnsureSuccessStatusCode();
        (await _demo.PostEventAsync($$$"""{"eventId":"{{{NewId("o")}}}","type":"order_placed","customerId":"{{{source}}}","occurredAt":"2026-01-11T10:00:00Z","properties":{"total":42}}""")).EnsureSuccessStatusCode();
        await WaitForProfileAsync(_demo, target, p => (long)p["eventCount"]! == 2);
        await WaitForProfileAsync(_demo, source, p => (long)p["eventCount"]! == 1);
        await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Post, $"{PathOf(source)}/identify", $$"""{"email":"{{email}}"}"""));

        var merged = await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Post, $"{PathOf(target)}/merge", $$"""{"sourceCustomerId":"{{source}}"}"""));
        Assert.Equal(target, (string?)merged!["customerId"]);
        Assert.Equal(4, (long)merged["eventCount"]!);
        Assert.Equal(1, (int)merged["commerce"]!["orders"]!);
        Assert.Contains(source, merged["mergedFrom"]!.AsArray().Select(s => (string?)s));

        var forwarded = await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Get, PathOf(source)));
        Assert.Equal(target, (string?)forwarded!["customerId"]);
        var resolved = await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Get, $"/v1/customers/resolve?alias={Uri.EscapeDataString("email:" + email)}"));
        Assert.Equal(target, (string?)resolved!["customerId"]);
    }

    [Fact]
    public async Task TheContactPolicyIsReadAndReplacedWithIsoDurations()
    {
        var defaults = await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Get, "/v1/contact-policy"));
        Assert.Equal("P7D", (string?)defaults!["budgetWindow"]);
        Assert.Equal("21:00", (string?)defaults["quietHoursStart"]);

        try
        {
            var set = await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Put, "/v1/contact-policy", """{"budgetMaxTouches":5,"budgetWindow":"P14D","appointmentQuietPeriod":"PT36H","defaultTimeZone":"Europe/Berlin","monetaryBands":[20,80,300,1000]}"""));
            Assert.Equal(5, (int)set!["budgetMaxTouches"]!);
            Assert.Equal("P14D", (string?)set["budgetWindow"]);
            Assert.Equal("P1DT12H", (string?)set["appointmentQuietPeriod"]);
            Assert.Equal("P14D", (string?)set["refundWindow"]);

            var read = await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Get, "/v1/contact-policy"));
            Assert.Equal("Europe/Berlin", (string?)read!["defaultTimeZone"]);
            decimal[] bands = [20m, 80m, 300m, 1000m];
        Assert.Equal(bands, read["monetaryBands"]!.AsArray().Select(b => (decimal)b!));

            var other = await ExpectAsync(HttpStatusCode.OK, Other(HttpMethod.Get, "/v1/contact-policy"));
            Assert.Equal("UTC", (string?)other!["defaultTimeZone"]);
        }
        finally
        {
            // The other tests of this class run on the demo tenant's default policy.
            await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Put, "/v1/contact-policy", "{}"));
        }
    }

    [Theory]
    [InlineData("PUT", "/consent", """{"channel":"pigeon","purpose":"marketing","granted":true}""", new[] { "channel" })]
    [InlineData("PUT", "/consent", """{"purpose":"spam","source":7}""", new[] { "channel", "purpose", "granted", "source" })]
    [InlineData("PATCH", "/preferences", """{"timeZone":"Mars/Olympus_Mons","quietHoursStart":"25:00","quietHoursEnd":"07:00"}""", new[] { "timeZone", "quietHoursStart" })]
    [InlineData("PATCH", "/preferences", """{"quietHoursStart":"22:00","pausedUntil":"tomorrow","quietHours":"22-07"}""", new[] { "quietHoursEnd", "pausedUntil", "quietHours" })]
    [InlineData("POST", "/identify", """{"email":"not-an-email","phone":"call me"}""", new[] { "email", "phone" })]
    [InlineData("POST", "/contact-decisions", """{"channel":"email","purpose":"marketing"}""", new[] { "kind" })]
    [InlineData("PATCH", "/traits", """{"tier":{"nested":true},"tags":["a"]}""", new[] { "tier", "tags" })]
    [InlineData("POST", "/merge", """{"sourceCustomerId":""}""", new[] { "sourceCustomerId" })]
    [InlineData("PUT", "/v1/segments/bad-seg", """{"name":"Shoes","conditions":[{"field":"shoeSize","operator":"eq","value":"42"},{"field":"orders","operator":"olderThan","value":"P1D"}]}""", new[] { "conditions[0]", "conditions[1]" })]
    [InlineData("PUT", "/v1/segments/bad-seg", """{"name":"","conditions":[]}""", new[] { "name", "conditions" })]
    [InlineData("PUT", "/v1/contact-policy", """{"budgetWindow":"soon","budgetMaxTouches":-1,"quietHoursStart":"9pm","monetaryBands":[1,2]}""", new[] { "budgetWindow", "budgetMaxTouches", "quietHoursStart", "monetaryBands" })]
    [InlineData("GET", "/v1/customers/resolve?alias=fax:123", null, new[] { "alias" })]
    [InlineData("GET", "/v1/segments/some-segment/members?limit=0", null, new[] { "limit" })]
    public async Task BadInputIs400ProblemDetailsNamingEveryField(string method, string path, string? body, string[] fields)
    {
        var customer = NewId("bad");
        var url = path.StartsWith("/v1/", StringComparison.Ordinal) ? path : PathOf(customer) + path;
        using var response = await Demo(new HttpMethod(method), url, body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonNode.Parse(text)!["errors"]!.AsObject();
        Assert.Equal(fields.Order(StringComparer.Ordinal), errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        await ExpectAsync(HttpStatusCode.NotFound, Demo(HttpMethod.Get, PathOf(customer)));
    }

    [Fact]
    public async Task InputThatIsNotJsonOrATooLongIdIs400NeverA500()
    {
        using var malformed = await Demo(HttpMethod.Put, $"{PathOf(NewId("c"))}/consent", """{"channel": email""");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);

        using var array = await Demo(HttpMethod.Patch, $"{PathOf(NewId("c"))}/traits", "[1,2]");
        Assert.Equal(HttpStatusCode.BadRequest, array.StatusCode);

        var tooLong = new string('x', 129);
        using var read = await Demo(HttpMethod.Get, PathOf(tooLong));
        Assert.Equal(HttpStatusCode.BadRequest, read.StatusCode);
        using var decide = await Demo(HttpMethod.Post, $"{PathOf(tooLong)}/contact-decisions", """{"channel":"email","purpose":"service","kind":"k"}""");
        Assert.Equal(HttpStatusCode.BadRequest, decide.StatusCode);
        Assert.Contains("customerId", JsonNode.Parse(await decide.Content.ReadAsStringAsync())!["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task AnotherTenantSeesNeitherTheCustomersNorTheSegmentsOfTheFirst()
    {
        var customer = NewId("mine");
        var email = $"{customer}@example.com";
        var segment = NewId("mine-seg");
        await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Post, $"{PathOf(customer)}/identify", $$"""{"email":"{{email}}"}"""));
        await ExpectAsync(HttpStatusCode.Created, Demo(HttpMethod.Put, $"/v1/segments/{segment}", """{"name":"Regulars","conditions":[{"field":"eventCount","operator":"gte","value":1000000}]}"""));

        await ExpectAsync(HttpStatusCode.NotFound, Other(HttpMethod.Get, PathOf(customer)));
        await ExpectAsync(HttpStatusCode.NotFound, Other(HttpMethod.Get, $"{PathOf(customer)}/export"));
        await ExpectAsync(HttpStatusCode.NotFound, Other(HttpMethod.Get, $"/v1/customers/resolve?alias={Uri.EscapeDataString("email:" + email)}"));
        await ExpectAsync(HttpStatusCode.NotFound, Other(HttpMethod.Get, $"/v1/segments/{segment}"));
        await ExpectAsync(HttpStatusCode.NotFound, Other(HttpMethod.Get, $"/v1/segments/{segment}/members"));
        var theirs = (await ExpectAsync(HttpStatusCode.OK, Other(HttpMethod.Get, "/v1/segments")))!["segments"]!.AsArray();
        Assert.DoesNotContain(segment, theirs.Select(s => (string?)s!["id"]));
        var decision = await ExpectAsync(HttpStatusCode.OK, Other(HttpMethod.Post, $"{PathOf(customer)}/contact-decisions", """{"channel":"email","purpose":"transactional","kind":"receipt"}"""));
        Assert.Equal("unknown_customer", (string?)decision!["reason"]);

        // The other tenant's erasure of "the same id" is an erasure of its own customer, not of ours.
        await ExpectAsync(HttpStatusCode.NotFound, Other(HttpMethod.Delete, $"/v1/segments/{segment}"));
        await ExpectAsync(HttpStatusCode.NoContent, Other(HttpMethod.Delete, PathOf(customer)));
        var ours = await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Get, PathOf(customer)));
        Assert.Equal(email, (string?)ours!["identity"]!["email"]);
        await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Get, $"/v1/segments/{segment}"));
        await ExpectAsync(HttpStatusCode.NoContent, Demo(HttpMethod.Delete, $"/v1/segments/{segment}"));
    }

    [Fact]
    public async Task TheContactDecisionIsAskedOverGrpcThroughTheGateway()
    {
        using var channel = GrpcChannel.ForAddress(fixture.Platform.GatewayGrpcUrl);
        var client = new Contracts.Profiles.V1.Profiles.ProfilesClient(channel);
        var headers = new Metadata { { "x-api-key", StandaloneOptions.DemoApiKey } };
        var customer = NewId("grpc");

        var profile = await client.SetConsentAsync(
            new SetConsentRequest { CustomerId = customer, Channel = ContactChannel.Email, Purpose = ContactPurpose.Marketing, Granted = true, Source = "app" },
            headers,
            deadline: DateTime.UtcNow.AddSeconds(10));
        var consent = Assert.Single(profile.Consent);
        Assert.Equal((ContactChannel.Email, ContactPurpose.Marketing, true, "app"), (consent.Channel, consent.Purpose, consent.Granted, consent.Source));

        var allowed = await client.DecideContactAsync(
            new DecideContactRequest { CustomerId = customer, Channel = ContactChannel.Email, Purpose = ContactPurpose.Transactional, Kind = "receipt", MessageId = NewId("m") },
            headers,
            deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.Equal(ContactOutcome.Allow, allowed.Outcome);
        Assert.Equal("allowed", allowed.Reason);

        var denied = await client.DecideContactAsync(
            new DecideContactRequest { CustomerId = customer, Channel = ContactChannel.Sms, Purpose = ContactPurpose.Marketing, Kind = "campaign:spring" },
            headers,
            deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.Equal(ContactOutcome.Deny, denied.Outcome);
        Assert.Equal("no_consent", denied.Reason);

        var invalid = await Assert.ThrowsAsync<RpcException>(() => client.DecideContactAsync(
            new DecideContactRequest { CustomerId = customer, Purpose = ContactPurpose.Marketing },
            headers,
            deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        var violations = invalid.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field).Order(StringComparer.Ordinal);
        string[] fields = ["channel", "kind"];
        Assert.Equal(fields, violations);

        var missing = await Assert.ThrowsAsync<RpcException>(() => client.ListSegmentMembersAsync(
            new ListSegmentMembersRequest { SegmentId = NewId("none") },
            headers,
            deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    /// <summary>An <c>Etc/GMT</c> zone in which the local hour is <paramref name="hour"/> right now (offsets -12 to +14 cover every hour).</summary>
    private static string ZoneWhereTheHourIsNow(int hour)
    {
        var now = SystemClock.Instance.GetCurrentInstant();
        return DateTimeZoneProviders.Tzdb.Ids
            .Where(id => id.StartsWith("Etc/GMT", StringComparison.Ordinal))
            .First(id => now.InZone(DateTimeZoneProviders.Tzdb[id]).Hour == hour);
    }

    private Task<HttpResponseMessage> Demo(HttpMethod method, string path, string? json = null) => SendAsync(StandaloneOptions.DemoApiKey, method, path, json);

    private Task<HttpResponseMessage> Other(HttpMethod method, string path, string? json = null) => SendAsync(StandaloneOptions.OtherApiKey, method, path, json);

    private async Task<HttpResponseMessage> SendAsync(string apiKey, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Authorization", $"Bearer {apiKey}");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await _http.SendAsync(request);
    }

    /// <summary>Asserts the status (showing the body when it differs) and returns the JSON body, if any.</summary>
    private static async Task<JsonNode?> ExpectAsync(HttpStatusCode expected, Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    private async Task<JsonNode> DecideAsync(string customerId, string channel, string purpose) =>
        (await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Post, $"{PathOf(customerId)}/contact-decisions", $$"""{"channel":"{{channel}}","purpose":"{{purpose}}","kind":"journey:test"}""")))!;

    /// <summary>Reads the profile until <paramref name="condition"/> holds (events reach the grain through Kafka).</summary>
    private static async Task<JsonNode> WaitForProfileAsync(PartnerClient client, string customerId, Func<JsonNode, bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        string? last = null;
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var response = await client.GetAsync(PathOf(customerId));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                last = await response.Content.ReadAsStringAsync();
                var profile = JsonNode.Parse(last)!;
                if (condition(profile))
                {
                    return profile;
                }
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"Customer {customerId} did not reach the expected state; last seen: {last}.");
    }

    /// <summary>Reads a segment's members until there are <paramref name="expected"/> (the member list is written after the grain's state).</summary>
    private async Task<string[]> WaitForMembersAsync(string segmentId, int expected)
    {
        var deadline = Stopwatch.StartNew();
        string[] members = [];
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            var page = await ExpectAsync(HttpStatusCode.OK, Demo(HttpMethod.Get, $"/v1/segments/{segmentId}/members"));
            members = [.. page!["members"]!.AsArray().Select(m => (string)m!["customerId"]!)];
            if (members.Length >= expected)
            {
                return members;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"Segment {segmentId} reached {members.Length} of {expected} members.");
    }
}
