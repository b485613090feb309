using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Notif = RetentionPlatform.Contracts.Notifications.V1;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace RetentionPlatform.EndToEnd.Tests;

/// <summary>
/// The Notifications part of the fuzzing: the REST routes under <c>/v1/notifications</c>, the public link pages under
/// <c>/m/</c> (forged tokens, no key) and the <c>retention.notifications.v1.Notifications</c> rpcs, against templates,
/// settings and messages set up first so that what is valid reaches the renderer and PostgreSQL. Its requests draw from
/// streams of their own (seed + 6 for REST, seed + 7 for gRPC), so every stream before stays byte for byte as it was.
/// </summary>
public sealed partial class PartnerApiFuzzTests
{
    private const int NotificationRestRequestCount = 500;
    private const int NotificationGrpcRequestCount = 150;

    /// <summary>
    /// The gateway lets one client address make 60 requests to the link pages at once (then one a second); more would
    /// only measure its rate limiter.
    /// </summary>
    private const int LinkRequestCount = 60;

    private static readonly string[] TemplateIds = ["fz-0", "fz-1", "appointment_reminder"];

    [Fact]
    public async Task HundredsOfHostileNotificationRequestsAndForgedLinksGetProblemDetailsOrAnErrorPageNeverAServerError()
    {
        var seed = Seed + 6;
        output.WriteLine($"notifications REST fuzz seed: {seed} (RETENTION_FUZZ_SEED={seed - 6} replays it)");
        var key = await PrepareFuzzTenantAsync();
        var gateway = fixture.Platform.GatewayHttpUrl;
        var targets = await PrepareNotificationsAsync(gateway, key);
        var fuzzer = new RestFuzzer(new Random(seed), gateway, key, RestFuzzer.NotificationRoutes(targets));
        var requests = Enumerable.Range(0, NotificationRestRequestCount).Select(fuzzer.Next)
            .Concat(Enumerable.Range(NotificationRestRequestCount, LinkRequestCount).Select(fuzzer.NextLink))
            .ToList();

        using var http = NewRestClient(maxConnections: Concurrency * 2);
        var outcomes = new RestOutcome[requests.Count];
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (request, _) =>
        {
            var outcome = await SendAsync(http, request);
            outcomes[request.Index] = request.Route.StartsWith("link-", StringComparison.Ordinal) ? JudgeLink(outcome) : outcome;
        });
        clock.Stop();

        output.WriteLine($"{outcomes.Length} requests in {clock.Elapsed.TotalSeconds:0.0} s, slowest {outcomes.Max(o => o.Elapsed).TotalMilliseconds:0} ms; by route and status: "
            + string.Join(", ", outcomes.GroupBy(o => $"{o.Request.Route} {(o.Status == 0 ? "none" : o.Status.ToString(CultureInfo.InvariantCulture))}")
                .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}")));

        await AssertNotificationsStillWorkOverRestAsync(gateway, key);

        var failures = outcomes.Where(o => o.Failure is not null).ToList();
        if (failures.Count > 0)
        {
            var report = Report(failures.Select(f => (f.Request.Route, f.Failure!, f.Describe())), failures.Count, outcomes.Length, seed);
            output.WriteLine(report);
            Assert.Fail(report);
        }
    }

    [Fact]
    public async Task HostileNotificationsGrpcCallsGetSpecificStatusesNeverInternalUnknownOrAServerError()
    {
        var seed = Seed + 7;
        output.WriteLine($"notifications gRPC fuzz seed: {seed} (RETENTION_FUZZ_SEED={seed - 7} replays it)");
        var key = await PrepareFuzzTenantAsync();
        var targets = await PrepareNotificationsAsync(fixture.Platform.GatewayHttpUrl, key);
        var fuzzer = new GrpcFuzzer(new Random(seed), key, GrpcFuzzer.NotificationsService, GrpcFuzzer.NotificationsMethods);
        var requests = Enumerable.Range(0, NotificationGrpcRequestCount).Select(i => fuzzer.NextNotification(i, targets)).ToList();

        using var http = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true, RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var outcomes = new GrpcOutcome[requests.Count];
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (request, _) =>
            outcomes[request.Index] = await SendAsync(http, fixture.Platform.GatewayGrpcUrl, request));
        clock.Stop();

        output.WriteLine($"{outcomes.Length} gRPC calls in {clock.Elapsed.TotalSeconds:0.0} s; outcomes: "
            + string.Join(", ", outcomes.GroupBy(o => $"{o.Request.Path[(o.Request.Path.LastIndexOf('/') + 1)..]} HTTP {o.HttpStatus}/grpc {o.GrpcStatus ?? "-"}")
                .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}"))
            + $"; {outcomes.Count(o => o.GrpcStatus == "3" && o.Request.MessageFields is not null)} INVALID_ARGUMENT answers had their BadRequest field violations checked");

        using (var channel = GrpcChannel.ForAddress(fixture.Platform.GatewayGrpcUrl))
        {
            await AssertNotificationsStillWorkOverGrpcAsync(channel, targets, key);
        }

        var failures = outcomes.Where(o => o.Failure is not null).ToList();
        if (failures.Count > 0)
        {
            var report = Report(failures.Select(f => (f.Request.Kind, f.Failure!, f.Describe())), failures.Count, outcomes.Length, seed);
            output.WriteLine(report);
            Assert.Fail(report);
        }
    }

    /// <summary>
    /// Puts the fuzz tenant's notification settings and templates (back) in place. Every endpoint is on the loopback at
    /// a port where nothing listens, so what the fuzzer manages to send fails fast and reaches nobody.
    /// </summary>
    private static async Task RestoreNotificationsAsync(HttpClient partner)
    {
        await ExpectAsync(partner, HttpMethod.Put, "/v1/notifications/settings", """
            {"businessName":"Fuzz salon","defaultLocale":"en","openTracking":true,"bookingPageUrl":"https://book.example/{appointmentId}",
             "email":{"host":"127.0.0.1","port":1,"security":"none","fromAddress":"hello@fuzz.example","fromName":"Fuzz"},
             "webhook":{"url":"http://127.0.0.1:9/hook","secret":"0123456789abcdef0123456789abcdef"}}
            """, HttpStatusCode.OK);
        await ExpectAsync(partner, HttpMethod.Put, "/v1/notifications/templates/fz-0/en",
            """{"subject":"Hello {{customer.firstName}}","html":"<p>Note: {{data.note}}</p><a href=\"{{track \"https://shop.example/x\"}}\">Shop</a>","text":"Note: {{data.note}}"}""",
            HttpStatusCode.Created, HttpStatusCode.OK);
        await ExpectAsync(partner, HttpMethod.Put, "/v1/notifications/templates/fz-1/de",
            """{"subject":"Hallo {{customer.name}}","text":"{{#each data.items}}{{this}} {{/each}}{{formatDate data.at}}"}""", HttpStatusCode.Created, HttpStatusCode.OK);
    }

    /// <summary>The settings, two templates and a few messages (sent for a customer of their own) that requests refer to.</summary>
    private static async Task<NotificationTargets> PrepareNotificationsAsync(Uri gateway, string key)
    {
        using var partner = Partner(gateway, key);
        await RestoreNotificationsAsync(partner);
        var messages = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var sent = await ExpectAsync(partner, HttpMethod.Post, "/v1/notifications/messages",
                $$$"""{"customerId":"nc-setup","templateId":"fz-0","purpose":"transactional","idempotencyKey":"setup-{{{Guid.NewGuid():N}}}","data":{"note":"setup"}}""",
                HttpStatusCode.Accepted);
            messages.Add((string)JsonNode.Parse(sent)!["messageId"]!);
        }

        return new NotificationTargets(DateOnly.FromDateTime(DateTime.UtcNow), messages);
    }

    /// <summary>After the storm, with the templates put back, a partner still previews, sends and reads a message.</summary>
    private static async Task AssertNotificationsStillWorkOverRestAsync(Uri gateway, string key)
    {
        using var partner = Partner(gateway, key);
        await RestoreNotificationsAsync(partner);
        var preview = await ExpectAsync(partner, HttpMethod.Post, "/v1/notifications/templates/fz-0/preview", """{"locale":"en","data":{"note":"after the fuzz"}}""", HttpStatusCode.OK);
        Assert.Contains("Note: after the fuzz", (string)JsonNode.Parse(preview)!["text"]!, StringComparison.Ordinal);
        var sent = await ExpectAsync(partner, HttpMethod.Post, "/v1/notifications/messages",
            $$"""{"customerId":"after-fuzz","templateId":"fz-0","purpose":"transactional","idempotencyKey":"after-{{Guid.NewGuid():N}}"}""", HttpStatusCode.Accepted);
        var messageId = (string)JsonNode.Parse(sent)!["messageId"]!;
        var read = await ExpectAsync(partner, HttpMethod.Get, $"/v1/notifications/messages/{messageId}", null, HttpStatusCode.OK);
        Assert.Equal("fz-0", (string?)JsonNode.Parse(read)!["templateId"]);
    }

    /// <summary>After the storm, the Notifications rpcs still read a message and render a preview.</summary>
    private static async Task AssertNotificationsStillWorkOverGrpcAsync(GrpcChannel channel, NotificationTargets targets, string key)
    {
        var client = new Notif.Notifications.NotificationsClient(channel);
        var headers = new Metadata { { "x-api-key", key } };
        var message = await client.GetMessageAsync(new Notif.GetMessageRequest { MessageId = targets.MessageIds[0] }, headers, DateTime.UtcNow.AddSeconds(10));
        Assert.Equal(targets.MessageIds[0], message.MessageId);
        var preview = await client.PreviewAsync(
            new Notif.PreviewRequest { TemplateId = "appointment_reminder", Locale = "en", DataJson = """{"note":"x"}""", Channel = Notif.Channel.Email }, headers, DateTime.UtcNow.AddSeconds(10));
        Assert.NotEmpty(preview.Text);
    }

    /// <summary>
    /// Judges a link page's answer: its own HTML error page (or the gateway's ProblemDetails) for every forged token,
    /// never a 5xx, a redirect or a 2xx, except the open pixel, which answers every token with the image.
    /// </summary>
    private static RestOutcome JudgeLink(RestOutcome outcome)
    {
        // A hang, no answer, a dropped connection or Kestrel's own refusal is judged as for every route.
        if (outcome.Status == 0 || outcome.ByKestrel || outcome.Failure?.StartsWith("the server dropped", StringComparison.Ordinal) == true)
        {
            return outcome;
        }

        var request = outcome.Request;
        var pixel = request.Url.AbsolutePath.StartsWith("/m/o/", StringComparison.Ordinal) && request.Method is "GET" or "HEAD";
        var failure = outcome.Status switch
        {
            >= 500 => $"server error {outcome.Status}",
            >= 300 and < 400 => $"redirected ({outcome.Status}) on a forged token",
            < 200 => $"unexpected status {outcome.Status}",
            < 300 when !pixel => $"answered {outcome.Status} to a forged token",
            < 300 when outcome.MediaType != "image/gif" => $"the open pixel answered {outcome.MediaType ?? "no content type"}, not image/gif",
            >= 400 when outcome.MediaType is not ("text/html" or ProblemJson) => $"{outcome.Status} neither an HTML page nor a ProblemDetails (content type {outcome.MediaType ?? "none"})",
            _ when InternalsPattern().IsMatch(outcome.Body) => "the body shows internals (stack trace, exception type or connection details)",
            _ => null,
        };
        return outcome with { Failure = failure };
    }

    /// <summary>What the notification requests refer to: the day the run started (scheduled sends are relative to it) and the messages sent.</summary>
    private sealed record NotificationTargets(DateOnly FirstDay, IReadOnlyList<string> MessageIds);

    private sealed partial class RestFuzzer
    {
        private const int NotificationLimit = 64 * 1024;
        private const int TemplateLimit = 400 * 1024;
        private const int LinkPagesFormLimit = 16 * 1024;

        /// <summary>Locales as path segments or JSON text (unquoted): malformed, too long, or written another way.</summary>
        private static readonly string[] OddLocales =
        [
            "e", "english", "de_DE", "EN", "de-de", "x-private", "zh-Hant-TW", "de-DE-1996", "i-klingon", "en-", "-en", "en--US", "123", "",
            " en", "en\\u0000", new string('a', 36), "de-" + new string('x', 60), "en-US-u-ca-buddhist-nu-thai", "ðe", "..", "en%2F..", "*",
        ];

        /// <summary>Templates Handlebars cannot compile, or that fail or misbehave when rendered.</summary>
        private static readonly string[] OddTemplates =
        [
            "{{", "}}", "{{customer.firstName", "{{{raw}}}", "{{& raw}}", "{{#each data.items}}no end", "{{/each}}", "{{#if}}{{/if}}", "{{#if x}}{{/each}}",
            "{{formatDate 5}}", "{{formatDate}}", "{{formatDate \\\"not a date\\\"}}", "{{formatDate data.at data.at data.at}}", "{{formatDate \\\"+275760-09-13\\\"}}",
            "{{track}}", "{{track 1 2 3}}", "{{track \\\"javascript:alert(1)\\\"}}", "{{track \\\"file:///etc/passwd\\\"}}", "{{nope}}", "{{nope 1}}", "{{> x}}",
            "{{#> x}}fallback{{/x}}", "{{#*inline \\\"x\\\"}}{{> x}}{{/inline}}{{> x}}", "{{#*inline \\\"x\\\"}}{{> y}}{{/inline}}{{#*inline \\\"y\\\"}}{{> x}}{{/inline}}{{> x}}",
            "{{!-- never closed", "{{else}}", "{{../../../x}}", "{{lookup . \\\"constructor\\\"}}", "{{#with}}{{/with}}", "{{#each this}}{{#each this}}{{this}}{{/each}}{{/each}}",
            "{{#each}}", "{{data.[}}", "{{data.[a b]}}", "{{@root.@root}}", "{{#unless}}{{/unless}}", "{{{{raw}}}} {{{{/raw}}}}", "{{~~~}}", "{{\\u0000}}",
            "<script>alert(1)</script>", "line\\nbreak", "\\u0000", "a\\ud800b", "\\udc00\\ud800", HostileInputs.Repeat("{{#if a}}", 2000) + HostileInputs.Repeat("{{/if}}", 2000),
            HostileInputs.Repeat("{{customer.firstName}}", 5000), "{{" + new string('a', 5000) + "}}",
        ];

        /// <summary>Times for sendAt, as JSON: at and past the ends of the calendar, far ahead, without an offset, not times at all.</summary>
        private static readonly string[] OddSendTimes =
        [
            "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"", "\"+275760-09-13\"", "\"+275760-09-13T00:00:00Z\"", "\"-271821-04-20T00:00:00Z\"",
            "\"0001-01-01T00:00:00+14:00\"", "\"9999-12-31T23:59:59-14:00\"", "\"1970-01-01T00:00:00Z\"", "\"2027-02-30T10:00:00Z\"", "\"2026-12-01T09:00:00\"",
            "\"2026-12-01\"", "\"now\"", "\"\"", "1764579600", "-1", "true", "{}", "[\"2026-12-01T09:00:00Z\"]", "\"2026-12-01T09:00:00+25:00\"",
            "\"2026-12-01T09:00:00.0000001Z\"", "\"10000-01-01T00:00:00Z\"", "\"2126-01-01T00:00:00Z\"", "\"2026-12-01T09:00:00\\u0000Z\"",
        ];

        /// <summary>SMTP settings, as JSON: each wrong in its own way (ports, hosts, enums, addresses, secrets).</summary>
        private static readonly string[] OddEmailSettings =
        [
            """{"host":"127.0.0.1","port":0,"fromAddress":"a@b.example"}""", """{"host":"127.0.0.1","port":70000,"fromAddress":"a@b.example"}""",
            """{"host":"127.0.0.1","port":"x","fromAddress":"a@b.example"}""", """{"host":"127.0.0.1","port":-1,"fromAddress":"a@b.example"}""",
            """{"host":"127.0.0.1","port":2147483648,"fromAddress":"a@b.example"}""", """{"host":"127.0.0.1","port":1e400,"fromAddress":"a@b.example"}""",
            """{"host":"127.0.0.1","port":25.5,"fromAddress":"a@b.example"}""", """{"host":"smtp example.com","port":25,"fromAddress":"a@b.example"}""",
            """{"host":"","port":25,"fromAddress":"a@b.example"}""", """{"host":" ","port":25,"fromAddress":"a@b.example"}""", """{"host":"smtp\u0000x","port":25,"fromAddress":"a@b.example"}""",
            """{"host":"h","port":25,"fromAddress":"a@b.example","security":"EMAIL"}""", """{"host":"h","port":25,"fromAddress":"a@b.example","security":1}""",
            """{"host":"h","port":25,"fromAddress":"a@b.example","security":"StartTls"}""", """{"host":"h","port":25,"fromAddress":"a@b.example","security":""}""",
            """{"host":"h","port":25,"fromAddress":"not an address"}""", """{"host":"h","port":25,"fromAddress":"a@"}""", """{"host":"h","port":25,"fromAddress":"<a@b.c>"}""",
            """{"host":"h","port":25,"fromAddress":"\"x y\"@b.c"}""", """{"host":"h","port":25,"fromAddress":"a@b.c, d@e.f"}""", """{"host":"h","port":25,"fromAddress":"a@b.c","replyTo":"nope"}""",
            """{"host":"h","port":25,"fromAddress":"a@b.c","password":"x"}""", """{"host":"h","port":25,"fromAddress":"a@b.c","fromName":"a\u0007b"}""",
            """{"host":"h","port":25,"fromAddress":"a@b.c","userName":"u\nv"}""", """{"host":"h","port":25,"fromAddress":"a@b.c","hasPassword":true}""",
            """{"host":"h","port":25,"fromAddress":"a@b.c","unknown":1}""", "{}", "[]", "\"smtp://h:25\"",
            $$"""{"host":"h","port":25,"fromAddress":"a@b.c","password":"{{new string('p', 10_000)}}"}""", $$"""{"host":"{{new string('h', 254)}}","port":25,"fromAddress":"a@b.c"}""",
            $$"""{"host":"h","port":25,"fromAddress":"a@b.c","fromName":"{{new string('n', 101)}}"}""", $$"""{"host":"h","port":25,"fromAddress":"{{new string('a', 5000)}}@b.c"}""",
        ];

        /// <summary>URLs, as JSON, that are not absolute http(s) ones, or are odd ones that are.</summary>
        private static readonly string[] OddUrls =
        [
            "\"javascript:alert(1)\"", "\"file:///etc/passwd\"", "\"/relative/hook\"", "\"hook\"", "\"\"", "\"http://\"", "\"https://exa mple.com\"", "\"http://[::1\"",
            "\"ftp://x.example/\"", "\"mailto:a@b.c\"", "\"data:text/html,<script>\"", "\"http://user:pass@127.0.0.1:9/\"", "\"http://127.0.0.1:99999/\"",
            "\"http://ex\\u0000ample.com\"", "\"https://bücher.example/\"", "\"HTTP://127.0.0.1:9/\"", "\"//127.0.0.1/x\"", "\"\\\\\\\\server\\\\share\"", "1", "null",
            "\"http://127.0.0.1:9/" + new string('p', 70_000) + "\"", "\"http://" + new string('h', 300) + ".example/\"",
        ];

        /// <summary>Webhook and provider endpoints, as JSON, wrong in their URL or secret.</summary>
        private static readonly string[] OddEndpoints =
        [
            """{"url":"http://127.0.0.1:9/hook","secret":"x"}""", """{"url":"http://127.0.0.1:9/hook","secret":"0123456789abcde"}""", """{"url":"http://127.0.0.1:9/hook","secret":"0123456789abcdef\u0001"}""",
            """{"url":"http://127.0.0.1:9/hook","secret":""}""", """{"url":"http://127.0.0.1:9/hook","secret":1}""", """{"url":"http://127.0.0.1:9/hook","hasSecret":false}""",
            """{"secret":"0123456789abcdef"}""", """{"url":null}""", "{}", "\"http://127.0.0.1:9/hook\"", "[]",
            $$"""{"url":"http://127.0.0.1:9/hook","secret":"{{new string('s', 10_000)}}"}""", $$"""{"url":"http://127.0.0.1:9/hook","secret":"{{new string('s', 1025)}}"}""",
        ];

        /// <summary>Data objects, as JSON: too large, too deep, not objects, or full of edge values.</summary>
        private static readonly string[] OddData =
        [
            "[]", "\"x\"", "1", "true", "[{}]", """{"items":"notalist"}""", """{"at":"+275760-09-13"}""", """{"note":"\u0000\u202e"}""", """{"note":"\ud800"}""", """{"a":{"b":["x\udc00"]}}""",
            """{"__proto__":{"admin":true},"constructor":{"prototype":{}}}""", """{"":1,"a.b":2,"[x]":3,"@root":4,"this":5,"..":6}""",
            "{" + string.Join(",", Enumerable.Range(0, 3000).Select(i => $"\"k{i}\":\"{new string('v', 8)}\"")) + "}",
            "{\"note\":\"" + new string('n', 40_000) + "\"}",
            HostileInputs.Repeat("{\"a\":", 63) + "1" + new string('}', 63), HostileInputs.Repeat("{\"a\":", 200) + "1" + new string('}', 200),
            """{"items":[""" + HostileInputs.Repeat("[", 60) + HostileInputs.Repeat("]", 60) + "]}", """{"items":[""" + string.Join(",", Enumerable.Range(0, 5000)) + "]}",
            """{"n":1e400}""", """{"n":-0,"m":123456789012345678901234567890}""",
        ];

        /// <summary>
        /// The notification routes: settings, templates and their preview, sending, the delivery log and delivery reports.
        /// Templates and messages named are mostly ones set up, so that requests reach the renderer and the database.
        /// </summary>
        public static Route[] NotificationRoutes(NotificationTargets targets)
        {
            static string Q(string text) => $"\"{text}\"";
            static Field F(string name, Func<Random, string> valid, Func<Random, string>? odd = null) => new(name, valid, odd);
            Func<Random, string> locale = r => Q(Pick(r, ["en", "de", "de-AT", "fr"]));
            Func<Random, string> oddLocale = r => r.Next(8) == 0 ? Pick(r, ["1", "[]", "true"]) : Q(Pick(r, OddLocales));
            Func<Random, string> oddText = r => Pick(r, ["\"\"", "\"   \"", "\"a\\u0000b\"", "\"a\\ud800b\"", "\"tab\\there\"", "\"line\\nbreak\"", Q(new string('n', 101)), Q(new string('n', 10_000)), "1", "[]", "{}"]);
            Func<Random, string> template = r => Q(Pick(r, ["Hi {{customer.firstName}}", "{{#each data.items}}{{this}}{{/each}}", "{{formatDate data.at}} {{track data.url}}", "Plain"]));
            Func<Random, string> oddTemplate = r => Q(Pick(r, OddTemplates));
            Func<Random, string> customer = r => Q($"nc-{r.Next(10)}");
            Func<Random, string> oddCustomer = r => Pick(r, ["\"\"", "\" \"", Q(new string('c', 129)), Q(new string('c', 128)), "\"\\u0000\"", "\"c-1\\n\"", "1", "\"\\u202enc-1\"", "null"]);
            Func<Random, string> data = r => Pick(r, ["null", """{"note":"hello"}""", """{"note":"x","items":["a","b"],"at":"2026-12-01T09:00:00Z","url":"https://shop.example/p"}"""]);
            Func<Random, string> oddData = r => Pick(r, OddData);
            Func<Random, string> channel = r => Q(Pick(r, ["email", "sms", "push", "webhook"]));
            Func<Random, string> oddChannel = r => Pick(r, ["\"EMAIL\"", "1", "0", "\"Email\"", "\"fax\"", "\"\"", "\"email \"", "\"email\\u0000\"", "[\"email\"]"]);

            Field[] settings =
            [
                F("businessName", r => Q($"Salon {r.Next(10)}"), oddText), F("defaultLocale", locale, oddLocale),
                F("openTracking", r => r.Next(2) == 0 ? "true" : "false", r => Pick(r, ["\"yes\"", "1", "\"true\"", "[]"])),
                F("bookingPageUrl", r => r.Next(3) == 0 ? "null" : Q("https://book.example/{appointmentId}"), r => Pick(r, OddUrls)),
                F("email", r => r.Next(3) == 0 ? "null" : """{"host":"127.0.0.1","port":1,"security":"none","fromAddress":"hello@fuzz.example"}""", r => Pick(r, OddEmailSettings)),
                F("webhook", r => r.Next(3) == 0 ? "null" : """{"url":"http://127.0.0.1:9/hook","secret":"0123456789abcdef0123"}""", r => r.Next(2) == 0 ? Pick(r, OddEndpoints) : $$"""{"url":{{Pick(r, OddUrls)}}}"""),
                F("sms", r => r.Next(2) == 0 ? "null" : """{"url":"http://127.0.0.1:9/sms","secret":"0123456789abcdef"}""", r => Pick(r, OddEndpoints)),
                F("push", _ => "null", r => $$"""{"url":{{Pick(r, OddUrls)}},"secret":"0123456789abcdef"}"""),
            ];
            Field[] templateBody = [F("subject", template, oddTemplate), F("html", r => r.Next(3) == 0 ? "null" : Q("<p>{{data.note}}</p>"), oddTemplate), F("text", template, oddTemplate)];
            Field[] preview = [F("locale", locale, oddLocale), F("customerId", r => r.Next(2) == 0 ? "null" : Q($"nc-{r.Next(10)}"), oddCustomer), F("data", data, oddData), F("channel", channel, oddChannel)];
            Field[] send =
            [
                F("customerId", customer, oddCustomer), F("templateId", r => Q(Pick(r, TemplateIds)), r => Pick(r, ["\"FZ-0\"", "\"\"", "\"-x\"", Q(new string('t', 65)), "\"../fz-0\"", "\"fz 0\"", "1", "null", "\"nope\""])),
                F("channels", r => Pick(r, ["[\"email\"]", "[\"sms\",\"email\"]", "[\"webhook\"]", "null"]),
                    r => Pick(r, ["[\"EMAIL\"]", "[1]", "[\"email\",\"email\"]", "[]", "[\"email\",\"sms\",\"push\",\"webhook\",\"email\"]", "\"email\"", "[null]", "[\"fax\"]", "{}"])),
                F("purpose", r => Q(Pick(r, ["transactional", "service", "marketing"])), r => Pick(r, ["\"EMAIL\"", "1", "\"Marketing\"", "\"\"", "null", "\"transactional \""])),
                F("idempotencyKey", r => Q($"ik-{r.Next(1_000_000)}"), r => Pick(r, ["\"\"", "\" \"", Q(new string('k', 129)), Q(new string('k', 128)), "\"k\\u0000\"", "7", "null"])),
                F("kind", r => r.Next(2) == 0 ? "null" : Q("journey:fuzz"), oddText), F("locale", r => r.Next(2) == 0 ? "null" : locale(r), oddLocale), F("data", data, oddData),
                F("sendAt", r => r.Next(2) == 0 ? "null" : Q($"{Day(targets.FirstDay, r.Next(1, 300))}T{r.Next(24):00}:00:00Z"), r => Pick(r, OddSendTimes)),
            ];
            Field[] report =
            [
                F("status", r => Q(r.Next(2) == 0 ? "delivered" : "bounced"), r => Pick(r, ["\"DELIVERED\"", "1", "null", "\"\"", "\"opened\"", "\"delivered\\u0000\"", "true"])),
                F("detail", r => r.Next(2) == 0 ? "null" : Q("250 OK"), r => Pick(r, ["\"\\u0000\"", "\"\\ud800\"", Q(new string('d', 501)), Q(new string('d', 500)), "{}", "12"])),
            ];

            return
            [
                new("notif-settings-get", "GET", _ => "/v1/notifications/settings", null, NotificationLimit),
                new("notif-settings-put", "PUT", _ => "/v1/notifications/settings", settings, NotificationLimit),
                new("notif-settings-put", "PUT", _ => "/v1/notifications/settings", settings, NotificationLimit),
                new("notif-templates-list", "GET", r => "/v1/notifications/templates" + Pick(r, ["", "", "/", "?limit=1"]), null, NotificationLimit),
                new("notif-template-get", "GET", r => $"/v1/notifications/templates/{TemplateRef(r)}/{LocaleRef(r)}", null, NotificationLimit),
                new("notif-template-put", "PUT", r => $"/v1/notifications/templates/{TemplateRef(r)}/{LocaleRef(r)}", templateBody, TemplateLimit),
                new("notif-template-put", "PUT", r => $"/v1/notifications/templates/{TemplateRef(r)}/{LocaleRef(r)}", templateBody, TemplateLimit),
                new("notif-template-delete", "DELETE", r => $"/v1/notifications/templates/{TemplateRef(r, scratchFirst: true)}/{LocaleRef(r)}", null, NotificationLimit),
                new("notif-preview", "POST", r => $"/v1/notifications/templates/{TemplateRef(r)}/preview", preview, NotificationLimit),
                new("notif-preview", "POST", r => $"/v1/notifications/templates/{TemplateRef(r)}/preview", preview, NotificationLimit),
                new("notif-send", "POST", _ => "/v1/notifications/messages", send, NotificationLimit),
                new("notif-send", "POST", _ => "/v1/notifications/messages", send, NotificationLimit),
                new("notif-messages-list", "GET", r => "/v1/notifications/messages" + MessageQuery(r), null, NotificationLimit),
                new("notif-message-get", "GET", r => $"/v1/notifications/messages/{MessageRef(r, targets)}", null, NotificationLimit),
                new("notif-report", "POST", r => $"/v1/notifications/messages/{MessageRef(r, targets)}/delivery-reports", report, NotificationLimit),
                new("notif-odd-path", "GET", r => Pick(r, NotificationOddPaths(targets)), report, NotificationLimit),
            ];
        }

        /// <summary>A request to a public link page, without a key (now and then with one, which must change nothing), carrying a forged token.</summary>
        public RestRequest NextLink(int index)
        {
            var segment = random.Next(20) switch
            {
                < 3 => "h",
                < 6 => "u",
                < 9 => "c",
                < 12 => "o",
                < 15 => "f",
                < 18 => "x",
                _ => Pick(["z", "H", "", "h/extra", "%68", "..", "o/x.gif/extra", "h/%2e%2e%2f%2e%2e%2fv1%2fnotifications%2fsettings"]),
            };
            var method = random.Next(10) switch
            {
                < 5 => "GET",
                < 9 => "POST",
                _ => Pick(["HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"]),
            };
            var token = ForgedToken();
            if (segment == "o" && Chance(0.8))
            {
                token += Pick([".gif", ".gif", ".GIF", ".gif.gif", ".gif%00", "%2Egif", ".png", ".gif?x=1"]);
            }

            var headers = new List<(string, string)>();
            var auth = "none";
            if (Chance(0.1))
            {
                headers.Add(("Authorization", "Bearer " + fuzzKey));
                auth = "fuzz key on a public page";
            }

            var (kind, body, contentType) = method is "POST" or "PUT" or "PATCH" ? LinkForm() : ("no body", (byte[]?)null, (string?)null);
            var path = $"/m/{segment}/{token}";
            if (!Uri.TryCreate(gateway.GetLeftPart(UriPartial.Authority) + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }, out var url))
            {
                kind += " (path escaped: the client cannot send it raw)";
                url = new Uri(gateway, "/m/h/" + Uri.EscapeDataString(token));
            }

            return new RestRequest(index, $"link-{(segment.Length == 1 ? segment : "odd")}", kind, method, url, body, contentType, auth, false, false, headers, body?.Length > LinkPagesFormLimit);
        }

        /// <summary>Tokens a forger could try: the signed shape with made-up bytes, near misses of it, and nothing like it.</summary>
        private string ForgedToken()
        {
            string B64(int bytes) => Convert.ToBase64String(RandomBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            return random.Next(20) switch
            {
                < 6 => $"{B64(random.Next(30, 200))}.{B64(16)}",
                6 => $"{B64(random.Next(30, 200))}.{B64(16)}=",
                7 => $"{B64(random.Next(30, 200))}==.{B64(16)}",
                8 => $"{Convert.ToBase64String(RandomBytes(60))}.{Convert.ToBase64String(RandomBytes(16))}".Replace("/", "%2F", StringComparison.Ordinal).Replace("+", "%2B", StringComparison.Ordinal),
                9 => $"{B64(40)}.{B64(16)}.{B64(16)}",
                10 => $".{B64(16)}",
                11 => $"{B64(40)}.",
                12 => $"{B64(40)}.{B64(15)}",
                13 => B64(random.Next(1, 100)),
                14 => $"{B64(3000)}.{B64(16)}",
                15 => new string('A', Pick([4095, 4096, 4097, 8000])),
                16 => $"{B64(40)}%20.{B64(16)}",
                17 => $"{B64(40)}.{B64(16)}".ToUpperInvariant(),
                _ => Pick(HostileInputs.PathSegments),
            };
        }

        /// <summary>A form as a link page's POST takes it, or something else sent as one.</summary>
        private (string Kind, byte[]? Body, string? ContentType) LinkForm()
        {
            const string Form = "application/x-www-form-urlencoded";
            return random.Next(14) switch
            {
                0 => ("no body", null, null),
                1 => ("reason", Bytes("reason=" + Uri.EscapeDataString(new string('r', Pick([10, 1000, 2001])))), Form),
                2 => ("score and comment", Bytes($"score={Pick(["5", "0", "6", "-1", "999999999999", "%FF", "5&score=4", "٥"])}&comment={Pick(["ok", "%00", "a%0D%0Ab"])}"), Form),
                3 => ("one-click unsubscribe", Bytes("List-Unsubscribe=One-Click"), Form),
                4 => ("bad percent-encoding", Bytes("reason=%zz%&%%=%"), Form),
                5 => ("2,000 keys", Bytes(string.Join("&", Enumerable.Range(0, 2000).Select(i => $"k{i}=v"))), Form),
                6 => ("over the limit", Bytes("reason=" + new string('r', LinkPagesFormLimit + random.Next(1, 4096))), Form),
                7 => ("invalid UTF-8", Bytes($"reason={HostileInputs.InvalidByte}{HostileInputs.EncodedSurrogate}"), Form + "; charset=utf-8"),
                8 => ("malformed multipart", Bytes("--x\r\nContent-Disposition: form-data; name=\"reason\"\r\n\r\nhi"), "multipart/form-data; boundary=x"),
                9 => ("multipart without a boundary", Bytes("reason=hi"), "multipart/form-data"),
                10 => ("JSON", Bytes("""{"confirm":true}"""), "application/json"),
                11 => ("random bytes", RandomBytes(random.Next(1, 3000)), Pick([Form, "application/octet-stream", "text/plain"])),
                12 => ("form without a content type", Bytes("confirm=yes"), null),
                _ => ("confirm", Bytes("confirm=yes"), Form),
            };
        }

        /// <summary>A template id: mostly one set up, some scratch ids the fuzzer may create, else hostile.</summary>
        private static string TemplateRef(Random random, bool scratchFirst = false) => random.Next(100) switch
        {
            < 50 when !scratchFirst => Pick(random, TemplateIds),
            < 15 => Pick(random, TemplateIds),
            < 70 => $"fzx-{random.Next(3)}",
            < 72 => new string('t', 64),
            < 74 => new string('t', 65),
            < 76 => "fz%2F0",
            < 77 => "fz%000",
            < 78 => new string('t', 10 * 1024),
            < 79 => HostileInputs.Repeat("%2F", 1200),
            < 81 => "FZ-0",
            < 83 => "r%C3%A9sum%C3%A9",
            _ => Pick(random, HostileInputs.PathSegments),
        };

        private static string LocaleRef(Random random) => random.Next(10) switch
        {
            < 7 => Pick(random, ["en", "en", "de", "de-DE", "EN", "fr"]),
            < 9 => Uri.EscapeDataString(Pick(random, OddLocales)),
            _ => Pick(random, HostileInputs.PathSegments),
        };

        /// <summary>A message id: one sent, a UUID no message has, the same UUID written another way, or hostile.</summary>
        private static string MessageRef(Random random, NotificationTargets targets) => random.Next(100) switch
        {
            < 50 => targets.MessageIds[random.Next(targets.MessageIds.Count)],
            < 58 => new Guid(Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256)).ToArray()).ToString(),
            < 61 => targets.MessageIds[random.Next(targets.MessageIds.Count)].ToUpperInvariant(),
            < 64 => "{" + targets.MessageIds[random.Next(targets.MessageIds.Count)] + "}",
            < 67 => targets.MessageIds[random.Next(targets.MessageIds.Count)].Replace("-", "", StringComparison.Ordinal),
            < 69 => "00000000-0000-0000-0000-000000000000",
            < 71 => new string('x', 257),
            < 73 => targets.MessageIds[random.Next(targets.MessageIds.Count)] + "%00",
            < 75 => targets.MessageIds[random.Next(targets.MessageIds.Count)] + "%2F..",
            _ => Pick(random, HostileInputs.PathSegments),
        };

        private static string MessageQuery(Random random)
        {
            if (random.Next(6) == 0)
            {
                return Pick(random, ["", "?", "?customerId=", "?customerId=nc-1&customerId=nc-2", "?customerId=%00", "?customerId=" + new string('c', 129), "?CUSTOMERID=nc-1", "?&&&", "?customerId[]=nc-1"]);
            }

            var parameters = new List<string> { "customerId=" + (random.Next(5) > 0 ? Pick(random, ["nc-setup", "nc-1", "nc-2", "after-fuzz"]) : Pick(random, ["%20", "c%0A1", "%ED%A0%80", "%FF", "nc-1%00"])) };
            if (random.Next(10) < 4)
            {
                parameters.Add("limit=" + Pick(random, ["1", "500", "501", "0", "-1", "1e3", "", "%00", "99999999999", "+5", "%D9%A1", "5&limit=6"]));
            }

            if (random.Next(12) == 0)
            {
                parameters.Add(Pick(random, ["status=sent", "after=x", "x=%00"]));
            }

            return "?" + string.Join("&", parameters);
        }

        private static string[] NotificationOddPaths(NotificationTargets targets) =>
        [
            "/v1/notifications", "/v1/notifications/", "/v1/notifications/settings/", "/v1/notifications/settings/x", "/v1/notifications/templates/fz-0",
            "/v1/notifications/templates/fz-0/", "/v1/notifications/templates/fz-0/en/extra", "/v1/notifications/templates//en", "/v1/notifications/templates/fz-0/preview/x",
            $"/v1/notifications/messages/{targets.MessageIds[0]}/delivery-reports/x", $"/v1/notifications/messages/{targets.MessageIds[0]}/", "/v1/notifications/messages/",
            "/v1/NOTIFICATIONS/messages", "/v1/notifications/%2e%2e/%2e%2e/v1/customers/c-1", "/m/%2e%2e/v1/notifications/settings", "/v1/notifications/../customers/c-1", "/v1/notifications/messages%00",
            "/v1/notifications/messages;x", "/v1/notifications/templates/" + new string('t', 4000) + "/en", "/retention.notifications.v1.Notifications/Send",
            "/v1/notifications/status/x", "/v1/notifications/templates/fz-0/en?x=%00",
        ];
    }

    private sealed partial class GrpcFuzzer
    {
        public const string NotificationsService = "retention.notifications.v1.Notifications";

        public static readonly string[] NotificationsMethods = ["Send", "Send", "GetMessage", "Preview", "Preview"];

        private static readonly string[] OddLocaleTexts = ["e", "english", "de_DE", "x-private", new string('a', 36), "en\0", "..", "EN", "de-DE-1996"];

        private static readonly string[] DataJsons =
        [
            "", "{}", """{"note":"hi"}""", """{"items":["a","b"],"at":"2026-12-01T09:00:00Z"}""", "{", "}", "[]", "1", "null", "\"x\"", "{\"a\":}", "{'a':1}",
            """{"a":1,"a":2}""", """{"a":"\ud800"}""", """{"n":1e400}""", "\uFEFF{}", "{}{}", "{} x", """{"a":"\u0000"}""",
            HostileInputs.Repeat("{\"a\":", 63) + "1" + new string('}', 63), HostileInputs.Repeat("{\"a\":", 100) + "1" + new string('}', 100),
            HostileInputs.Repeat("[", 10_000) + HostileInputs.Repeat("]", 10_000), "{\"note\":\"" + new string('n', 40_000) + "\"}",
            "{\"note\":\"" + new string('n', 32 * 1024 - 11) + "\"}",
        ];

        /// <summary>A Notifications call, framed well or badly, the message's values often hostile.</summary>
        public GrpcRequest NextNotification(int index, NotificationTargets targets)
        {
            var roll = random.Next(100);
            var method = methods[random.Next(methods.Length)];
            var path = roll switch
            {
                < 95 => $"/{service}/{method}",
                < 98 => Pick(OddPaths()),
                _ => "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
            };
            var headers = new List<(string, string)>();
            if (!Chance(0.03))
            {
                headers.Add(("x-api-key", fuzzKey));
            }

            var contentType = "application/grpc";
            var message = NotificationMessage(method, targets);
            var valid = message.ToByteArray();
            (string Kind, byte[] Body) call = (Chance(0.45) ? 0 : random.Next(100)) switch
            {
                < 25 => ("message with hostile values", Frame(valid)),
                < 37 => ("random bytes", Frame(RandomBytes(random.Next(1, 512)))),
                < 50 => ("bit flips", Frame(Flip(valid))),
                < 55 => ("truncated message", Frame(valid.Length > 1 ? valid[..random.Next(1, valid.Length)] : [0x0A])),
                < 62 => ("wrong wire type", Frame(WrongWireType())),
                < 65 => ("varint longer than 10 bytes", Frame([0x08, .. Enumerable.Repeat((byte)0xFF, 11), 0x01])),
                < 68 => ("length past the end", Frame([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x61, 0x62])),
                < 72 => ("invalid UTF-8 in a string", Frame([0x0A, 0x05, 0xFF, 0xFE, 0xED, 0xA0, 0x80])),
                < 74 => ("invalid UTF-8 in data_json", Frame([0x42, 0x04, 0x7B, 0xFF, 0xFE, 0x7D])),
                < 76 => ("send_at as a string", Frame([0x4A, 0x03, 0x61, 0x62, 0x63])),
                < 79 => ("200 nested unknown groups", Frame([.. Enumerable.Repeat((byte)0x7B, 200), .. Enumerable.Repeat((byte)0x7C, 200)])),
                < 83 => ("duplicate and unknown fields", Frame([.. valid, .. valid, 0xF8, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0xAA, 0x06, 0x03, 0x61, 0x62, 0x63])),
                < 85 => ("no message at all", []),
                < 87 => ("frame shorter than it says", [0, 0, 0, 0x10, 0, .. valid.Take(4)]),
                < 89 => ("two messages for a unary call", [.. Frame(valid), .. Frame(valid)]),
                < 90 => ("compressed flag without grpc-encoding", [1, .. Frame(valid)[1..]]),
                < 91 => ("declares a 2 GiB message", [0, 0x7F, 0xFF, 0xFF, 0xFF, 0x0A, 0x01, 0x61]),
                < 92 => ("header cut short", [0, 0, 0]),
                < 94 => ("gzip-compressed garbage", [1, .. Frame(RandomBytes(random.Next(1, 64)))[1..]]),
                < 96 => ("half a megabyte of unknown field", Frame([.. valid, 0xFA, 0x06, .. Varint(512 * 1024), .. new byte[512 * 1024]])),
                _ => ("content type " + (contentType = Pick(["application/grpc+json", "application/grpc+proto", "application/grpc-web", "text/plain", "application/json"])), Frame(valid)),
            };
            if (call.Kind == "gzip-compressed garbage")
            {
                headers.Add(("grpc-encoding", "gzip"));
            }

            if (Chance(0.05))
            {
                headers.Add(("grpc-timeout", Pick(["0n", "1n", "99999999H", "abc", "-1S", "1"])));
            }

            // Notifications promises a google.rpc.BadRequest naming the request's fields for every INVALID_ARGUMENT.
            var promised = call.Kind == "message with hostile values" && path == $"/{service}/{method}";
            return new GrpcRequest(index, call.Kind, path, call.Body, contentType, headers, promised ? MessageFields(message) : null);
        }

        private IMessage NotificationMessage(string method, NotificationTargets targets) => method switch
        {
            "Send" => SendMessage(targets),
            "GetMessage" => new Notif.GetMessageRequest
            {
                MessageId = random.Next(10) switch
                {
                    < 5 => Pick(targets.MessageIds),
                    < 7 => Guid.NewGuid().ToString(),
                    7 => Pick(targets.MessageIds).ToUpperInvariant(),
                    _ => Pick(HostileTexts),
                },
            },
            _ => new Notif.PreviewRequest
            {
                TemplateId = NotificationTemplateRef(), Locale = LocaleText(), CustomerId = Chance(0.5) ? "" : Chance(0.6) ? $"nc-{random.Next(10)}" : Pick(HostileTexts),
                DataJson = Pick(DataJsons), Channel = (Notif.Channel)random.Next(-2, 7),
            },
        };

        private Notif.SendRequest SendMessage(NotificationTargets targets)
        {
            var request = new Notif.SendRequest
            {
                CustomerId = Chance(0.7) ? $"nc-{random.Next(10)}" : Pick(HostileTexts), TemplateId = NotificationTemplateRef(),
                Purpose = Chance(0.7) ? (Notif.Purpose)random.Next(1, 4) : (Notif.Purpose)Pick([-1, 0, 4, 99, int.MaxValue, int.MinValue]),
                IdempotencyKey = Chance(0.7) ? $"gk-{random.Next(1_000_000)}" : Pick(HostileTexts), Kind = Chance(0.6) ? "" : Pick(["journey:fuzz", .. HostileTexts]),
                Locale = LocaleText(), DataJson = Pick(DataJsons),
            };
            for (var i = random.Next(0, 6); i > 0; i--)
            {
                request.Channels.Add(Chance(0.7) ? (Notif.Channel)random.Next(1, 5) : (Notif.Channel)Pick([-1, 0, 5, 99, int.MaxValue, int.MinValue]));
            }

            var day = new DateTimeOffset(targets.FirstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            request.SendAt = random.Next(10) switch
            {
                < 4 => null,
                < 7 => Timestamp.FromDateTimeOffset(day.AddHours(random.Next(1, 24 * 400))),
                7 => new Timestamp { Seconds = Pick([-62_135_596_800, -62_135_596_801, 253_402_300_799, 253_402_300_800, 0]), Nanos = Pick([0, 1, -1, 1_000_000_000]) },
                _ => new Timestamp { Seconds = Pick(Seconds), Nanos = Pick(Nanos) },
            };
            return request;
        }

        private string NotificationTemplateRef() => Chance(0.7) ? Pick(TemplateIds) : Pick(["FZ-0", "nope", "-x", new string('t', 65), "fz 0", "fz/0", .. HostileTexts]);

        private string LocaleText() => random.Next(10) switch
        {
            < 4 => "",
            < 7 => Pick(["en", "de", "de-AT"]),
            _ => Pick(OddLocaleTexts),
        };
    }
}
