using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using RetentionPlatform.Contracts.Profiles.V1;
using RetentionPlatform.Standalone;
using Xunit.Abstractions;
using ProtoDuration = Google.Protobuf.WellKnownTypes.Duration;
using Recs = RetentionPlatform.Contracts.Recommendations.V1;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace RetentionPlatform.EndToEnd.Tests;

/// <summary>
/// Seeded fuzzing of the partner API through the standalone host: thousands of hostile REST requests to every route and
/// method (the operator's admin API included) and hundreds of malformed gRPC frames to Profiles, Recommendations and
/// Scheduling.
/// Whatever arrives, the answer is a 4xx ProblemDetails (or a 2xx where the input happens to be valid), never a 5xx, a
/// hang or internals in the body, and gRPC never answers INTERNAL or UNKNOWN. Requests are generated from a fixed seed
/// before any is sent, so a failure reproduces; the seed is printed, and <c>RETENTION_FUZZ_SEED</c> runs another one.
/// </summary>
public sealed partial class PartnerApiFuzzTests(PlatformFixture fixture, ITestOutputHelper output) : IClassFixture<PlatformFixture>
{
    private const int DefaultSeed = 20261123;
    private const int RestRequestCount = 3000;
    private const int GrpcRequestCount = 400;
    private const int RecommendationRestRequestCount = 600;
    private const int RecommendationGrpcRequestCount = 150;
    private const int SchedulingRestRequestCount = 600;
    private const int SchedulingGrpcRequestCount = 150;
    private const int Concurrency = 8;
    private const string FuzzTenant = "fuzz";
    private const string TargetTenant = "fuzz-target";
    private const string ProblemJson = "application/problem+json";
    private const string FuzzKey = "fuzz key";
    private const string FuzzKeyAsHeader = "fuzz key as X-Api-Key";
    private const string OperatorCredential = "operator";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a connection that carried a body over the limit is watched for the server dropping it.</summary>
    private static readonly TimeSpan ConnectionWatch = TimeSpan.FromMilliseconds(300);

    private static int Seed =>
        int.TryParse(Environment.GetEnvironmentVariable("RETENTION_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : DefaultSeed;

    [Fact]
    public async Task ThousandsOfHostileRestRequestsGetProblemDetailsAndNeverAServerErrorOrAHang()
    {
        var seed = Seed;
        output.WriteLine($"REST fuzz seed: {seed} (RETENTION_FUZZ_SEED={seed} replays it)");
        var key = await PrepareFuzzTenantAsync();
        var gateway = fixture.Platform.GatewayHttpUrl;
        var schedule = await PrepareScheduleAsync(gateway, key);
        output.WriteLine($"scheduling: first day {schedule.FirstDay:yyyy-MM-dd}, {schedule.BookingIds.Count} bookings and {schedule.WaitlistIds.Count} waitlist entries set up");
        var fuzzer = new RestFuzzer(new Random(seed), gateway, key, RestFuzzer.PartnerRoutes());

        // The recommendation routes draw from a stream of their own and go after the others: adding them left every
        // request a seed made before as it was, so a failure found earlier still replays.
        var recommendations = new RestFuzzer(new Random(seed + 2), gateway, key, RestFuzzer.RecommendationRoutes());

        // The scheduling routes came later still, the same way: their own stream, after the recommendation routes.
        var scheduling = new RestFuzzer(new Random(seed + 4), gateway, key, RestFuzzer.SchedulingRoutes(schedule));
        var requests = Enumerable.Range(0, RestRequestCount).Select(fuzzer.Next)
            .Concat(Enumerable.Range(RestRequestCount, RecommendationRestRequestCount).Select(recommendations.Next))
            .Concat(Enumerable.Range(RestRequestCount + RecommendationRestRequestCount, SchedulingRestRequestCount).Select(scheduling.Next))
            .ToList();

        using var http = NewRestClient(maxConnections: Concurrency * 2);
        var outcomes = new RestOutcome[requests.Count];
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (request, _) =>
            outcomes[request.Index] = await SendAsync(http, request));
        clock.Stop();

        output.WriteLine($"{outcomes.Length} requests in {clock.Elapsed.TotalSeconds:0.0} s; statuses: "
            + string.Join(", ", outcomes.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{(g.Key == 0 ? "none" : g.Key.ToString(CultureInfo.InvariantCulture))}x{g.Count()}")));
        output.WriteLine("of them scheduling: " + string.Join(", ", outcomes.Where(o => o.Request.Route.StartsWith("sched-", StringComparison.Ordinal))
            .GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{(g.Key == 0 ? "none" : g.Key.ToString(CultureInfo.InvariantCulture))}x{g.Count()}")));
        output.WriteLine($"slowest: {outcomes.Max(o => o.Elapsed).TotalMilliseconds:0} ms; refused by Kestrel itself (bare, before the gateway ran): "
            + string.Join(", ", outcomes.Where(o => o.ByKestrel).GroupBy(o => $"{o.Status} on {o.Request.Route}").Select(g => $"{g.Key} x{g.Count()}")));

        // The platform still serves an ordinary partner after the storm: nothing wedged, no pool exhausted.
        using (var partner = new PartnerClient(gateway, key))
        {
            var customer = $"after-fuzz-{Guid.NewGuid():N}";
            using var posted = await partner.PostEventAsync($"after-{customer}", customer);
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
            await partner.WaitForProfileAsync(customer, 1);
            using var popular = await partner.GetAsync("/v1/recommendations/popular?limit=3");
            Assert.Equal(HttpStatusCode.OK, popular.StatusCode);
        }

        await AssertSchedulingStillBooksOverRestAsync(gateway, key);

        var failures = outcomes.Where(o => o.Failure is not null).ToList();
        if (failures.Count > 0)
        {
            var report = Report(failures.Select(f => (f.Request.Route, f.Failure!, f.Describe())), failures.Count, outcomes.Length, seed);
            output.WriteLine(report);
            Assert.Fail(report);
        }
    }

    [Fact]
    public async Task HundredsOfMalformedGrpcFramesGetSpecificStatusesNeverInternalUnknownOrAServerError()
    {
        var seed = Seed + 1;
        output.WriteLine($"gRPC fuzz seed: {seed} (RETENTION_FUZZ_SEED={seed - 1} replays it)");
        var key = await PrepareFuzzTenantAsync();
        var fuzzer = new GrpcFuzzer(new Random(seed), key, GrpcFuzzer.ProfilesService, GrpcFuzzer.ProfilesMethods);
        var recommendations = new GrpcFuzzer(new Random(seed + 2), key, GrpcFuzzer.RecommendationsService, GrpcFuzzer.RecommendationsMethods);
        var schedule = await PrepareScheduleAsync(fixture.Platform.GatewayHttpUrl, key);
        output.WriteLine($"scheduling: first day {schedule.FirstDay:yyyy-MM-dd}, {schedule.BookingIds.Count} bookings and {schedule.WaitlistIds.Count} waitlist entries set up");
        var scheduling = new GrpcFuzzer(new Random(seed + 4), key, GrpcFuzzer.SchedulingService, GrpcFuzzer.SchedulingMethods, schedule);
        var requests = Enumerable.Range(0, GrpcRequestCount).Select(fuzzer.Next)
            .Concat(Enumerable.Range(GrpcRequestCount, RecommendationGrpcRequestCount).Select(recommendations.Next))
            .Concat(Enumerable.Range(GrpcRequestCount + RecommendationGrpcRequestCount, SchedulingGrpcRequestCount).Select(scheduling.Next))
            .ToList();

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
            + string.Join(", ", outcomes.GroupBy(o => $"HTTP {o.HttpStatus}/grpc {o.GrpcStatus ?? "-"}").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}")));
        output.WriteLine("of them scheduling: " + string.Join(", ", outcomes.Skip(GrpcRequestCount + RecommendationGrpcRequestCount)
            .GroupBy(o => $"{o.Request.Path[(o.Request.Path.LastIndexOf('/') + 1)..]} grpc {o.GrpcStatus ?? "-"}").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}"))
            + $"; {outcomes.Count(o => o.GrpcStatus == "3" && o.Request.MessageFields is not null)} INVALID_ARGUMENT answers had their BadRequest field violations checked");

        using (var channel = GrpcChannel.ForAddress(fixture.Platform.GatewayGrpcUrl))
        {
            var policy = await new Contracts.Profiles.V1.Profiles.ProfilesClient(channel).GetContactPolicyAsync(
                new GetContactPolicyRequest(), new Metadata { { "x-api-key", key } }, DateTime.UtcNow.AddSeconds(10));
            Assert.NotNull(policy.BudgetWindow);
            var catalog = new Recs.Recommendations.RecommendationsClient(channel);
            var item = $"after-fuzz-{Guid.NewGuid():N}";
            var upserted = await catalog.UpsertItemsAsync(
                new Recs.UpsertItemsRequest { Items = { new Recs.CatalogItem { ItemId = item, Name = "After the fuzz" } } }, new Metadata { { "x-api-key", key } }, DateTime.UtcNow.AddSeconds(10));
            Assert.Equal("created", upserted.Results.Single().Status);
            var read = await catalog.GetItemAsync(new Recs.GetItemRequest { ItemId = item }, new Metadata { { "x-api-key", key } }, DateTime.UtcNow.AddSeconds(10));
            Assert.Equal("After the fuzz", read.Name);
            await AssertSchedulingStillBooksOverGrpcAsync(channel, schedule, key);
        }

        var failures = outcomes.Where(o => o.Failure is not null).ToList();
        if (failures.Count > 0)
        {
            var report = Report(failures.Select(f => (f.Request.Kind, f.Failure!, f.Describe())), failures.Count, outcomes.Length, seed);
            output.WriteLine(report);
            Assert.Fail(report);
        }
    }

    /// <summary>A tenant of its own with a rate limit the fuzzer never reaches, a tenant the admin API may change, and a key with every scope.</summary>
    private async Task<string> PrepareFuzzTenantAsync()
    {
        using var admin = new HttpClient { BaseAddress = fixture.Platform.GatewayHttpUrl };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StandaloneOptions.OperatorKey);
        foreach (var tenant in new[] { FuzzTenant, TargetTenant })
        {
            using var created = await admin.PostAsync("/admin/v1/tenants", Json($$$"""{"id":"{{{tenant}}}","name":"Fuzzing","rateLimit":{"permitsPerSecond":1000000,"burst":1000000}}"""));
            Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await created.Content.ReadAsStringAsync());
        }

        using var issued = await admin.PostAsync($"/admin/v1/tenants/{FuzzTenant}/keys", Json("""{"name":"fuzzer","scopes":["ingest","read","write","admin"]}"""));
        var text = await issued.Content.ReadAsStringAsync();
        Assert.True(issued.StatusCode == HttpStatusCode.Created, text);
        return (string)JsonNode.Parse(text)!["key"]!;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>
    /// Sends one request. A body over the route's limit goes on a connection of its own, which is then watched: a server
    /// that answers and then drops the connection without saying <c>Connection: close</c> fails the next request a client
    /// sends on it, so that is a failure of this request (and cannot spoil an unrelated one on a shared connection).
    /// </summary>
    private static async Task<RestOutcome> SendAsync(HttpClient shared, RestRequest fuzz)
    {
        if (!fuzz.OverLimit)
        {
            return await SendOnAsync(shared, fuzz);
        }

        Socket? socket = null;
        using var http = NewRestClient(maxConnections: 1, async (context, cancellationToken) =>
        {
            var connected = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await connected.ConnectAsync(context.DnsEndPoint, cancellationToken);
            socket = connected;
            return new NetworkStream(connected, ownsSocket: true);
        });
        var outcome = await SendOnAsync(http, fuzz);
        return outcome.Status != 0 && !outcome.ConnectionClose && socket is { } watched && DroppedByServer(watched)
            ? outcome with { Failure = outcome.Failure ?? "the server dropped the keep-alive connection right after answering, without 'Connection: close': a client's next request on it fails" }
            : outcome;

        // Readable with nothing to read: the peer closed it. A socket the client closed itself (it will not reuse it) is no failure.
        static bool DroppedByServer(Socket socket)
        {
            try
            {
                return socket.Poll((int)ConnectionWatch.TotalMicroseconds, SelectMode.SelectRead) && socket.Available == 0;
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
            {
                return false;
            }
        }
    }

    private static HttpClient NewRestClient(int maxConnections, Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect = null) =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            MaxConnectionsPerServer = maxConnections,
            Expect100ContinueTimeout = TimeSpan.FromSeconds(2),
            RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
            ConnectCallback = connect,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    private static async Task<RestOutcome> SendOnAsync(HttpClient http, RestRequest fuzz)
    {
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(RequestTimeout);
        try
        {
            using var request = fuzz.ToHttpRequest();
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            var status = (int)response.StatusCode;
            var media = response.Content.Headers.ContentType?.MediaType;
            var text = Encoding.UTF8.GetString(body);
            var connectionClose = response.Headers.ConnectionClose == true;

            // Kestrel's own refusals of a request it cannot parse (a request line over 8 KiB, %00 in the path, headers too
            // large) are written before any middleware runs: bare, with no X-Request-Id, and they close the connection.
            var byKestrel = status is 400 or 414 or 431 && body.Length == 0 && connectionClose && !response.Headers.Contains("X-Request-Id");
            return new RestOutcome(fuzz, status, media, text, clock.Elapsed, byKestrel ? null : JudgeRest(fuzz, status, media, text), connectionClose, byKestrel);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return new RestOutcome(fuzz, 0, null, "", clock.Elapsed, $"hang: no complete response within {RequestTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            return new RestOutcome(fuzz, 0, null, "", clock.Elapsed, $"no response: {ex.HttpRequestError}: {ex.InnerException?.Message ?? ex.Message}");
        }
    }

    private static string? JudgeRest(RestRequest request, int status, string? media, string body)
    {
        if (status >= 500)
        {
            return $"server error {status}";
        }

        if (status is < 200 or (>= 300 and < 400))
        {
            return $"unexpected status {status}";
        }

        if (status < 300 && !request.Authenticated && request.Route != "odd-path")
        {
            return $"answered {status} although the request carried no valid credential for the route ({request.Auth})";
        }

        if (status >= 400 && media != ProblemJson)
        {
            return $"{status} without ProblemDetails (content type {media ?? "none"})";
        }

        if (status >= 400 && request.Method != "HEAD" && !IsProblemWithStatus(body, status))
        {
            return $"{status} whose body is not a ProblemDetails with status {status}";
        }

        return InternalsPattern().IsMatch(body) ? "the body shows internals (stack trace, exception type or connection details)" : null;
    }

    private static bool IsProblemWithStatus(string body, int status)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject problem && problem["status"] is JsonValue value && value.TryGetValue<int>(out var given) && given == status;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static async Task<GrpcOutcome> SendAsync(HttpClient http, Uri gateway, GrpcRequest fuzz)
    {
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(RequestTimeout);
        try
        {
            using var request = fuzz.ToHttpRequest(gateway);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            var grpcStatus = Header(response.Headers, "grpc-status") ?? Header(response.TrailingHeaders, "grpc-status");
            var message = Header(response.Headers, "grpc-message") ?? Header(response.TrailingHeaders, "grpc-message");
            var details = Header(response.Headers, "grpc-status-details-bin") ?? Header(response.TrailingHeaders, "grpc-status-details-bin");
            var status = (int)response.StatusCode;
            return new GrpcOutcome(fuzz, status, grpcStatus, message, Encoding.UTF8.GetString(body), clock.Elapsed, JudgeGrpc(fuzz, status, grpcStatus, message, details));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return new GrpcOutcome(fuzz, 0, null, null, "", clock.Elapsed, $"hang: no complete response within {RequestTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            return new GrpcOutcome(fuzz, 0, null, null, "", clock.Elapsed, $"no response: {ex.HttpRequestError}: {ex.InnerException?.Message ?? ex.Message}");
        }

        static string? Header(HttpHeaders headers, string name) => headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
    }

    private static string? JudgeGrpc(GrpcRequest request, int status, string? grpcStatus, string? message, string? details)
    {
        if (status >= 500)
        {
            return $"server error {status}";
        }

        // A request that is not gRPC at all (not application/grpc or application/grpc+<codec>; gRPC-Web is not offered) is
        // judged as HTTP: a 4xx is right.
        if (request.ContentType is not { } contentType || contentType.StartsWith("application/grpc-web", StringComparison.Ordinal)
            || !contentType.StartsWith("application/grpc", StringComparison.Ordinal))
        {
            return status is >= 400 and < 500 ? null : $"non-gRPC request answered {status}";
        }

        if (status == 200 && grpcStatus is null)
        {
            return "HTTP 200 without a grpc-status";
        }

        if (status != 200 && status is < 400 or >= 500)
        {
            return $"unexpected HTTP status {status}";
        }

        if (grpcStatus == "0" && request.Headers.All(h => h.Name != "x-api-key"))
        {
            return "OK although the call carried no API key";
        }

        if (grpcStatus is "2" or "13")
        {
            return $"grpc-status {(grpcStatus == "2" ? "UNKNOWN" : "INTERNAL")}: {Uri.UnescapeDataString(message ?? "")}";
        }

        if (grpcStatus == "3" && request.MessageFields is { } fields && FieldViolationProblem(details, fields) is { } violation)
        {
            return violation;
        }

        return message is not null && InternalsPattern().IsMatch(Uri.UnescapeDataString(message)) ? "grpc-message shows internals" : null;
    }

    /// <summary>Groups failures by where and what, and shows the first request of each group.</summary>
    private static string Report(IEnumerable<(string Where, string Failure, string Example)> failures, int count, int total, int seed)
    {
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"{count} of {total} requests failed (seed {seed}). By route/kind and failure, with the first request of each:");
        var groups = failures.GroupBy(f => (f.Where, Failure: Shape(f.Failure))).OrderByDescending(g => g.Count()).ToList();
        foreach (var (group, rank) in groups.Take(60).Select((g, i) => (g, i)))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"- {group.Count()} x [{group.Key.Where}] {group.Key.Failure}");
            foreach (var (_, failure, example) in group.Take(rank < 20 ? 2 : 1))
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"    {failure}");
                report.AppendLine(CultureInfo.InvariantCulture, $"    {example}");
            }
        }

        return report.ToString();

        // Numbers and quoted values differ between otherwise equal failures.
        static string Shape(string failure) => QuotedPattern().Replace(failure, "'…'");
    }

    private static string Prefix(string text, int length) =>
        text.Length <= length ? text : string.Concat(text.AsSpan(0, length), $"… ({text.Length} chars)");

    [GeneratedRegex(@"\n\s+at \S+\(|   at [A-Z][\w.`<>]+\.|--- End of|System\.[A-Za-z.]*Exception|Npgsql|Orleans\.Runtime|StackTrace|Host=|Password=", RegexOptions.CultureInvariant)]
    private static partial Regex InternalsPattern();

    [GeneratedRegex(@"'[^']*'|""[^""]*""|\b\d+\b", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedPattern();

    /// <summary>One hostile REST request, generated before any is sent.</summary>
    private sealed record RestRequest(
        int Index,
        string Route,
        string Kind,
        string Method,
        Uri Url,
        byte[]? Body,
        string? ContentType,
        string Auth,
        bool Chunked,
        bool ExpectContinue,
        IReadOnlyList<(string Name, string Value)> Headers,
        bool OverLimit)
    {
        /// <summary>Whether the request carries the credential its route needs (the fuzz key, or the operator key on the admin API).</summary>
        public bool Authenticated => Auth is FuzzKey or FuzzKeyAsHeader or OperatorCredential;

        public HttpRequestMessage ToHttpRequest()
        {
            var request = new HttpRequestMessage(new HttpMethod(Method), Url);
            foreach (var (name, value) in Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            if (Body is not null)
            {
                request.Content = Chunked ? new StreamContent(new MemoryStream(Body)) : new ByteArrayContent(Body);
                request.Headers.TransferEncodingChunked = Chunked;
                if (ContentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
                }
            }

            request.Headers.ExpectContinue = ExpectContinue ? true : null;
            return request;
        }

        public string Describe()
        {
            var body = Body is null ? "no body" : $"body {Body.Length} bytes: {Prefix(Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 160)).ReplaceLineEndings(" "), 160)}";
            var headers = Headers.Where(h => h.Name is not ("Authorization" or "X-Api-Key")).Select(h => $"{h.Name}: {Prefix(h.Value, 60)}");
            return $"#{Index} {Kind}: {Method} {Prefix(Url.PathAndQuery, 200)} (auth {Auth}; content type {ContentType ?? "none"}"
                + $"{(Chunked ? "; chunked" : "")}{(ExpectContinue ? "; Expect: 100-continue" : "")}{string.Concat(headers.Select(h => "; " + h))}) {body}";
        }
    }

    private sealed record RestOutcome(
        RestRequest Request, int Status, string? MediaType, string Body, TimeSpan Elapsed, string? Failure, bool ConnectionClose = false, bool ByKestrel = false)
    {
        public string Describe() =>
            $"{Request.Describe()}{Environment.NewLine}      -> {(Status == 0 ? "no response" : Status.ToString(CultureInfo.InvariantCulture))} {MediaType ?? ""} after {Elapsed.TotalMilliseconds:0} ms: {Prefix(Body.ReplaceLineEndings(" "), 400)}";
    }

    /// <summary>
    /// One hostile gRPC call through the gateway's HTTP/2 port: raw bytes, framed or not. <c>MessageFields</c> are the
    /// request message's fields when the call carries one whole and well-formed to a service whose INVALID_ARGUMENT always
    /// names them in a google.rpc.BadRequest (Scheduling); null where that is not promised.
    /// </summary>
    private sealed record GrpcRequest(
        int Index, string Kind, string Path, byte[] Body, string? ContentType, IReadOnlyList<(string Name, string Value)> Headers, IReadOnlySet<string>? MessageFields = null)
    {
        public HttpRequestMessage ToHttpRequest(Uri gateway)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, Path))
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = new ByteArrayContent(Body),
            };
            if (ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }

            request.Headers.TryAddWithoutValidation("te", "trailers");
            foreach (var (name, value) in Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            return request;
        }

        public string Describe() =>
            $"#{Index} {Kind}: POST {Path} (content type {ContentType ?? "none"}{string.Concat(Headers.Where(h => h.Name != "x-api-key").Select(h => $"; {h.Name}: {h.Value}"))}"
            + $"{(Headers.Any(h => h.Name == "x-api-key") ? "" : "; no key")}) {Body.Length} bytes: {Convert.ToHexString(Body.AsSpan(0, Math.Min(Body.Length, 48)))}{(Body.Length > 48 ? "…" : "")}";
    }

    private sealed record GrpcOutcome(GrpcRequest Request, int HttpStatus, string? GrpcStatus, string? GrpcMessage, string Body, TimeSpan Elapsed, string? Failure)
    {
        public string Describe() =>
            $"{Request.Describe()}{Environment.NewLine}      -> HTTP {HttpStatus}, grpc-status {GrpcStatus ?? "none"} '{Uri.UnescapeDataString(GrpcMessage ?? "")}' after {Elapsed.TotalMilliseconds:0} ms {Prefix(Body, 200)}";
    }

    /// <summary>A field of a JSON body, how to make a valid value for it and, where it has them, values hostile to its own format.</summary>
    private sealed record Field(string Name, Func<Random, string> Valid, Func<Random, string>? Odd = null);

    /// <summary>
    /// A route of the API: its method, how to make its path, its body's fields (null: no body), its body limit, and
    /// whether the body may be left out (a cancellation's reason).
    /// </summary>
    private sealed record Route(string Name, string Method, Func<Random, string> Path, Field[]? Fields, int BodyLimit, bool Operator = false, bool OptionalBody = false);

    /// <summary>Makes hostile REST requests from a seeded generator.</summary>
    private sealed partial class RestFuzzer(Random random, Uri gateway, string fuzzKey, Route[] routes)
    {
        private const int EventLimit = 64 * 1024;
        private const int BatchLimit = 4 * 1024 * 1024;
        private const int AdminLimit = 16 * 1024;
        private const int CatalogItemLimit = 64 * 1024;
        private const int CatalogBatchLimit = 1024 * 1024;

        private static readonly string[] EventTypes =
            ["identify", "traits_set", "page_viewed", "order_placed", "order_refunded", "consent_given", "consent_withdrawn", "message_opened",
             "support_case_opened", "support_case_closed", "appointment_booked", "subscription_started", "human_requested", "customer_erased", "feedback_submitted"];

        private static readonly string[] Channels = ["email", "sms", "push", "webhook"];
        private static readonly string[] Purposes = ["marketing", "service", "transactional"];
        private static readonly string[] Services = ["recommendations", "scheduling", "notifications"];
        private static readonly string[] ShopEventTypes = ["product_viewed", "cart_updated", "checkout_started", "order_placed", "customer_erased"];
        private static readonly string[] Categories = ["coffee", "equipment", "care"];

        /// <summary>Query strings for the recommendation lists (limit, category, minPrice, maxPrice).</summary>
        private static readonly string[] RecommendationQueries =
        [
            "", "?", "?limit=5", "?limit=0", "?limit=100", "?limit=101", "?limit=-1", "?limit=1&limit=2", "?limit=99999999999999999999", "?limit=1.5",
            "?limit=", "?limit=%00", "?limit=0x10", "?category=coffee", "?category=", "?category=%20", "?category=%00", "?category=%FF",
            "?category=" + new string('c', 129), "?category=coffee&category=care", "?minPrice=5&maxPrice=1", "?minPrice=-1", "?minPrice=1e400",
            "?maxPrice=NaN", "?maxPrice=Infinity", "?minPrice=1,5", "?minPrice=%2B1", "?maxPrice=79228162514264337593543950336", "?maxPrice=1000000001",
            "?minPrice=0.5&maxPrice=100&category=equipment&limit=3", "?minPrice=&maxPrice=", "?LIMIT=5", "?limit[]=5", "?&&&&", "?limit=5#fragment",
        ];
        private static readonly string[] SegmentFields = ["revenue", "orders", "eventCount", "churnScore", "lastOrderAt", "tier", "consent.email.marketing"];
        private static readonly string[] Operators = ["gte", "lte", "eq", "neq", "gt", "lt", "olderThan", "withinLast", "exists"];

        private static readonly string[] OddPaths =
        [
            "/", "/v1", "/v1/", "/v2/events", "/v1/customers", "/v1/customers/", "/v1/events/", "/V1/EVENTS", "//v1//events", "/v1/events/../customers/c-1",
            "/v1/%2e%2e/admin/v1/tenants", "/admin/v1/tenants/../../v1/segments", "/admin", "/admin/v1", "/admin/v1/tenants/x/y/z", "/v1/segments/s-0/members/extra",
            "/v1/customers/c-0/unknown", "/v1/customers/c-0/traits/extra", "/v1/contact-policy/x", "/v1/api-keys/a/b", "/health", "/alive", "/.env",
            "/v1/events%00", "/v1/events;x", "/v1/events/batch/", "/v1/customers/c-0/%2e%2e/%2e%2e/contact-policy", "/retention.profiles.v1.Profiles/GetProfile",
            "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", "/v1/customers/" + new string('a', 10 * 1024), "/" + HostileInputs.Repeat("a/", 1500),
            "/v1/segments/" + HostileInputs.Repeat("%2F", 1000) + "/members", "/v1/customers/%2F%2F%2F/export", "/v1/customers/resolve/extra",
        ];

        public RestRequest Next(int index)
        {
            var route = Pick(routes);
            var method = Chance(0.88) ? route.Method : Pick(HostileInputs.Methods);
            var path = route.Path(random);
            var (kind, body, chunked, expect) = MakeBody(route);
            var contentType = body is null ? (Chance(0.05) ? Pick(HostileInputs.ContentTypes) : null) : Chance(0.8) ? "application/json" : Pick(HostileInputs.ContentTypes);
            var headers = new List<(string, string)>();
            var auth = Authenticate(route, headers);
            AddOddHeaders(method, headers);
            if (!Uri.TryCreate(gateway.GetLeftPart(UriPartial.Authority) + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }, out var url))
            {
                kind += " (path escaped: the client cannot send it raw)";
                url = new Uri(gateway, "/v1/customers/" + Uri.EscapeDataString(path));
            }

            return new RestRequest(index, route.Name, kind, method, url, body, contentType, auth, chunked, expect || Chance(0.05), headers, body?.Length > route.BodyLimit);
        }

        /// <summary>
        /// The recommendation and catalog routes, and events carrying items (for customers <c>rc-*</c> of their own) so that
        /// the model has something to answer from.
        /// </summary>
        public static Route[] RecommendationRoutes()
        {
            static string Q(string text) => $"\"{text}\"";
            static Field F(string name, Func<Random, string> valid) => new(name, valid);
            Field[] shopEvents =
            [
                F("eventId", r => Q($"re-{r.Next(100_000)}")), F("type", r => Q(Pick(r, ShopEventTypes))), F("customerId", r => Q($"rc-{r.Next(10)}")),
                F("occurredAt", r => Q($"2026-01-{1 + r.Next(28):00}T10:00:00Z")),
                F("properties", r => $$"""{"itemId":"i-{{r.Next(10)}}","itemIds":["i-{{r.Next(10)}}","i-{{r.Next(10)}}"],"name":"Item {{r.Next(10)}}","category":"{{Pick(r, Categories)}}","price":{{r.Next(1, 100)}}.5,"available":{{(r.Next(5) == 0 ? "false" : "true")}},"total":{{r.Next(1, 500)}}.5}"""),
            ];
            Field[] catalogItem =
            [
                F("name", r => Q($"Item {r.Next(100)}")), F("category", r => Q(Pick(r, Categories))), F("price", r => $"{r.Next(0, 500)}.{r.Next(100):00}"),
                F("available", r => r.Next(4) == 0 ? "false" : "true"), F("hidden", r => r.Next(8) == 0 ? "true" : "false"),
            ];

            return
            [
                new("shop-events", "POST", _ => "/v1/events", shopEvents, EventLimit),
                new("shop-events-batch", "POST", _ => "/v1/events/batch", [F("events", r => Batch(r, shopEvents))], BatchLimit),
                new("recommend-customer", "GET", r => $"/v1/recommendations/customers/{ShopCustomer(r)}{Pick(r, RecommendationQueries)}", null, EventLimit),
                new("recommend-similar", "GET", r => $"/v1/recommendations/items/{Item(r)}/similar{Pick(r, RecommendationQueries)}", null, EventLimit),
                new("recommend-popular", "GET", r => $"/v1/recommendations/popular{Pick(r, RecommendationQueries)}", null, EventLimit),
                new("catalog-put", "PUT", r => $"/v1/recommendations/catalog/items/{Item(r)}", catalogItem, CatalogItemLimit),
                new("catalog-get", "GET", r => $"/v1/recommendations/catalog/items/{Item(r)}", null, CatalogItemLimit),
                new("catalog-delete", "DELETE", r => $"/v1/recommendations/catalog/items/{Item(r)}", null, CatalogItemLimit),
                new("catalog-batch", "POST", _ => "/v1/recommendations/catalog/items/batch", [F("items", r => CatalogBatch(r, catalogItem))], CatalogBatchLimit),
            ];
        }

        public static Route[] PartnerRoutes()
        {
            static string Q(string text) => $"\"{text}\"";
            static Field F(string name, Func<Random, string> valid) => new(name, valid);
            Field[] events =
            [
                F("eventId", r => Q($"e-{r.Next(100_000)}")), F("type", r => Q(EventTypes[r.Next(EventTypes.Length)])), F("customerId", r => Q($"c-{r.Next(10)}")),
                F("occurredAt", r => Q($"2026-01-{1 + r.Next(28):00}T10:00:00Z")),
                F("properties", r => $$"""{"total":{{r.Next(1, 500)}}.5,"email":"a{{r.Next(10)}}@example.com","currency":"EUR","channel":"email","purpose":"marketing","plan":"pro"}"""),
            ];
            Field[] consent = [F("channel", r => Q(Pick(r, Channels))), F("purpose", r => Q(Pick(r, Purposes))), F("granted", r => r.Next(2) == 0 ? "true" : "false"), F("source", _ => Q("checkout"))];
            Field[] preferences =
            [
                F("quietHoursStart", _ => Q("22:00")), F("quietHoursEnd", _ => Q("07:00")), F("preferredChannel", r => Q(Pick(r, Channels))),
                F("pausedUntil", r => r.Next(3) == 0 ? "null" : Q("2027-01-01T00:00:00Z")), F("timeZone", _ => Q("Europe/Berlin")), F("locale", _ => Q("de-DE")),
            ];
            Field[] identify =
            [
                F("email", r => Q($"ann{r.Next(10)}@example.com")), F("phone", _ => Q("+4915112345678")), F("firstName", _ => Q("Ann")), F("lastName", _ => Q("Lee")),
                F("externalIds", r => $$"""{"pos":"C-{{r.Next(100)}}"}"""), F("timeZone", _ => Q("Europe/Vienna")), F("locale", _ => Q("en-GB")),
            ];
            Field[] decide = [F("channel", r => Q(Pick(r, Channels))), F("purpose", r => Q(Pick(r, Purposes))), F("kind", _ => Q("journey:win-back")), F("messageId", r => Q($"m-{r.Next(1000)}"))];
            Field[] segment =
            [
                F("name", r => Q($"Segment {r.Next(100)}")),
                F("conditions", r => $$"""[{"field":"{{Pick(r, SegmentFields)}}","operator":"{{Pick(r, Operators)}}","value":{{(r.Next(2) == 0 ? r.Next(1000).ToString(CultureInfo.InvariantCulture) : "\"P30D\"")}}}]"""),
            ];
            Field[] policy =
            [
                F("budgetMaxTouches", r => r.Next(0, 20).ToString(CultureInfo.InvariantCulture)), F("budgetWindow", _ => Q("P7D")), F("quietHoursStart", _ => Q("21:00")),
                F("quietHoursEnd", _ => Q("08:00")), F("defaultTimeZone", _ => Q("UTC")), F("negativeFeedbackWindow", _ => Q("P30D")), F("negativeFeedbackThreshold", _ => "0.5"),
                F("refundWindow", _ => Q("P14D")), F("cancellationWindow", _ => Q("P14D")), F("appointmentQuietPeriod", _ => Q("PT36H")), F("defaultPurchaseCadence", _ => Q("P30D")),
                F("monetaryBands", _ => "[20,80,300,1000]"),
            ];
            Field[] scopes = [F("name", r => Q($"key {r.Next(100)}")), F("scopes", _ => "[\"read\"]"), F("rateLimit", r => $$"""{"permitsPerSecond":{{r.Next(1, 100)}},"burst":{{r.Next(1, 200)}}}""")];
            Field[] newTenant = [F("id", r => Q($"fz-{r.Next(1_000_000)}")), F("name", _ => Q("Fuzzed tenant")), F("rateLimit", _ => """{"permitsPerSecond":100}""")];
            Field[] tenantChange = [F("name", _ => Q("Renamed")), F("status", r => Q(r.Next(2) == 0 ? "active" : "suspended")), F("rateLimit", r => r.Next(2) == 0 ? "null" : """{"permitsPerSecond":5,"burst":10}""")];
            Field[] traits = [F("tier", _ => Q("gold")), F("visits", r => r.Next(100).ToString(CultureInfo.InvariantCulture)), F("vip", _ => "true"), F("note", _ => Q("hello"))];

            return
            [
                new("events", "POST", _ => "/v1/events", events, EventLimit),
                new("events-batch", "POST", _ => "/v1/events/batch", [F("events", r => Batch(r, events))], BatchLimit),
                new("customer-get", "GET", r => $"/v1/customers/{Customer(r)}", null, EventLimit),
                new("customer-export", "GET", r => $"/v1/customers/{Customer(r)}/export", null, EventLimit),
                new("customer-resolve", "GET", r => $"/v1/customers/resolve{Pick(r, HostileInputs.AliasQueries)}", null, EventLimit),
                new("customer-erase", "DELETE", r => $"/v1/customers/{Customer(r)}", null, EventLimit),
                new("customer-traits", "PATCH", r => $"/v1/customers/{Customer(r)}/traits", traits, EventLimit),
                new("customer-consent", "PUT", r => $"/v1/customers/{Customer(r)}/consent", consent, EventLimit),
                new("customer-preferences", "PATCH", r => $"/v1/customers/{Customer(r)}/preferences", preferences, EventLimit),
                new("customer-identify", "POST", r => $"/v1/customers/{Customer(r)}/identify", identify, EventLimit),
                new("customer-decide", "POST", r => $"/v1/customers/{Customer(r)}/contact-decisions", decide, EventLimit),
                new("customer-human", "POST", r => $"/v1/customers/{Customer(r)}/human-requests", [F("reason", _ => Q("billing"))], EventLimit),
                new("customer-merge", "POST", r => $"/v1/customers/{Customer(r)}/merge", [F("sourceCustomerId", r => Q($"c-{r.Next(10)}"))], EventLimit),
                new("segments-list", "GET", r => r.Next(2) == 0 ? "/v1/segments" : "/v1/segments/", null, EventLimit),
                new("segment-define", "PUT", r => $"/v1/segments/{Segment(r)}", segment, EventLimit),
                new("segment-get", "GET", r => $"/v1/segments/{Segment(r)}", null, EventLimit),
                new("segment-delete", "DELETE", r => $"/v1/segments/{Segment(r)}", null, EventLimit),
                new("segment-members", "GET", r => $"/v1/segments/{Segment(r)}/members{Pick(r, HostileInputs.MemberQueries)}", null, EventLimit),
                new("policy-get", "GET", _ => "/v1/contact-policy", null, EventLimit),
                new("policy-put", "PUT", _ => "/v1/contact-policy", policy, EventLimit),
                new("service-status", "GET", r => $"/v1/{Pick(r, Services)}/status", null, EventLimit),
                new("service-write", "POST", r => $"/v1/{Pick(r, Services)}/{(r.Next(2) == 0 ? "status" : "anything/" + Customer(r))}", traits, 1024 * 1024),
                new("api-keys-list", "GET", _ => "/v1/api-keys", null, AdminLimit),
                new("api-keys-issue", "POST", _ => "/v1/api-keys", scopes, AdminLimit),
                new("api-keys-revoke", "DELETE", r => $"/v1/api-keys/{KeyPrefix(r)}", null, AdminLimit),
                new("admin-tenant-create", "POST", _ => "/admin/v1/tenants", newTenant, AdminLimit, Operator: true),
                new("admin-tenant-list", "GET", _ => "/admin/v1/tenants", null, AdminLimit, Operator: true),
                new("admin-tenant-get", "GET", r => $"/admin/v1/tenants/{TenantPath(r)}", null, AdminLimit, Operator: true),
                new("admin-tenant-change", "PATCH", r => $"/admin/v1/tenants/{TenantPath(r)}", tenantChange, AdminLimit, Operator: true),
                new("admin-key-issue", "POST", r => $"/admin/v1/tenants/{TenantPath(r)}/keys", scopes, AdminLimit, Operator: true),
                new("admin-key-list", "GET", r => $"/admin/v1/tenants/{TenantPath(r)}/keys", null, AdminLimit, Operator: true),
                new("admin-key-revoke", "DELETE", r => $"/admin/v1/tenants/{TenantPath(r)}/keys/{KeyPrefix(r)}", null, AdminLimit, Operator: true),
                new("odd-path", "GET", r => Pick(r, OddPaths), traits, EventLimit),
            ];
        }

        private static string Batch(Random random, Field[] events)
        {
            var count = random.Next(1, 6);
            return "[" + string.Join(",", Enumerable.Range(0, count).Select(_ => "{" + string.Join(",", events.Select(f => $"\"{f.Name}\":{f.Valid(random)}")) + "}")) + "]";
        }

        private static string Customer(Random random) => random.Next(100) switch
        {
            < 70 => $"c-{random.Next(10)}",
            < 74 => "shop%2Fc-1",
            < 76 => new string('a', 129),
            < 78 => new string('a', 10 * 1024),
            < 79 => HostileInputs.Repeat("%2F", 2000),
            < 80 => "x" + HostileInputs.Repeat("%C3%A9", 1500),
            _ => Pick(random, HostileInputs.PathSegments),
        };

        private static string CatalogBatch(Random random, Field[] item)
        {
            var count = random.Next(1, 6);
            return "[" + string.Join(",", Enumerable.Range(0, count).Select(_ => $"{{\"itemId\":\"i-{random.Next(10)}\"," + string.Join(",", item.Select(f => $"\"{f.Name}\":{f.Valid(random)}")) + "}")) + "]";
        }

        private static string ShopCustomer(Random random) => random.Next(100) switch
        {
            < 75 => $"rc-{random.Next(10)}",
            < 78 => "shop%2Frc-1",
            < 80 => new string('a', 129),
            < 81 => new string('a', 10 * 1024),
            _ => Pick(random, HostileInputs.PathSegments),
        };

        private static string Item(Random random) => random.Next(100) switch
        {
            < 70 => $"i-{random.Next(10)}",
            < 73 => "shop%2Fi-1",
            < 75 => new string('i', 129),
            < 76 => new string('i', 10 * 1024),
            _ => Pick(random, HostileInputs.PathSegments),
        };

        private static string Segment(Random random) => random.Next(100) switch
        {
            < 70 => $"s-{random.Next(5)}",
            < 73 => new string('s', 65),
            < 75 => new string('s', 64),
            _ => Pick(random, HostileInputs.PathSegments),
        };

        // Never the fuzzer's own tenant: suspending it or limiting its rate would end the run's coverage.
        private static string TenantPath(Random random) => random.Next(100) switch
        {
            < 50 => TargetTenant,
            < 65 => $"nope-{random.Next(100)}",
            < 68 => "FUZZ-TARGET",
            < 70 => "-x",
            < 72 => new string('a', 64),
            < 74 => StandaloneOptions.OtherTenant,
            _ => Pick(random, HostileInputs.PathSegments),
        };

        private static string KeyPrefix(Random random) => random.Next(100) switch
        {
            < 50 => "rpk_" + new string(Enumerable.Range(0, 8).Select(_ => (char)('a' + random.Next(26))).ToArray()),
            < 60 => "cfg_dev1",
            < 65 => new string('p', 65),
            < 70 => "RPK_ABC",
            _ => Pick(random, HostileInputs.PathSegments),
        };

        private (string Kind, byte[]? Body, bool Chunked, bool Expect) MakeBody(Route route)
        {
            if (route.Fields is null || (route.Method is "GET" or "DELETE" && Chance(0.8)))
            {
                if (Chance(0.8))
                {
                    return ("no body", null, false, false);
                }

                return random.Next(4) switch
                {
                    0 => ("body on a bodiless route", Bytes("{\"a\":1}"), false, false),
                    1 => ("garbage body on a bodiless route", RandomBytes(random.Next(1, 2000)), false, false),
                    2 => ("deep nesting on a bodiless route", Bytes(HostileInputs.Repeat("[", 10_000)), false, false),
                    _ => Oversized("oversized body on a bodiless route", "x", route.BodyLimit),
                };
            }

            if (route.OptionalBody && Chance(0.3))
            {
                return ("no body (it is optional)", null, false, false);
            }

            var fields = route.Fields;
            var first = fields[0].Name;
            string Valid() => Object(fields.Select(f => ($"\"{f.Name}\"", f.Valid(random))));

            // Fields that know values hostile to their own format (dates, zones, durations: the scheduling routes) get
            // them often, and valid bodies too, so that requests reach the scheduler and the database. No other route
            // draws anything here, so every request a seed made before stays as it was.
            var specific = fields.Where(f => f.Odd is not null).ToArray();
            if (specific.Length > 0 && Chance(0.45))
            {
                var chunked = Chance(0.15);
                var how = chunked ? ", chunked" : "";
                if (Chance(0.35))
                {
                    return ("valid" + how, Bytes(Valid()), chunked, false);
                }

                var targets = Enumerable.Range(0, Chance(0.7) ? 1 : 2).Select(_ => Pick(specific)).Distinct().ToList();
                var body = Object(fields.Select(f => ($"\"{f.Name}\"", targets.Contains(f) ? f.Odd!(random) : f.Valid(random))));
                return ($"hostile to the field's format ({string.Join(", ", targets.Select(t => t.Name))}){how}", Bytes(body), chunked, false);
            }

            return random.Next(25) switch
            {
                0 or 1 or 2 => ("valid", Bytes(Valid()), false, false),
                3 or 4 => OneField("one field hostile", fields, _ => HostileValue()),
                5 => ("every field a wrong type", Bytes(Object(fields.Select(f => ($"\"{f.Name}\"", WrongType(f.Valid(random)))))), false, false),
                6 => ("null everywhere", Bytes(Object(fields.Select(f => ($"\"{f.Name}\"", "null")))), false, false),
                7 => ("fields missing", Bytes(Object(fields.Where(_ => Chance(0.5)).Select(f => ($"\"{f.Name}\"", f.Valid(random))))), false, false),
                8 => ("unknown and duplicate fields", Bytes(Object(fields.Select(f => ($"\"{f.Name}\"", f.Valid(random)))
                    .Append(($"\"{Pick(fields).Name}\"", HostileValue())).Append((Pick(HostileInputs.JsonStrings), HostileValue())).Append(("\"__proto__\"", "{\"admin\":true}")))), false, false),
                9 => ("truncated JSON", Truncate(Valid()), false, false),
                10 => random.Next(3) switch
                {
                    0 => ("10,000 nested arrays", Bytes(HostileInputs.Repeat("[", 10_000) + HostileInputs.Repeat("]", 10_000)), false, false),
                    1 => ("5,000 nested objects in a field", Bytes($"{{\"{first}\":" + HostileInputs.Repeat("{\"a\":", 5000) + "1" + new string('}', 5001)), false, false),
                    _ => ("20,000 unclosed arrays in a field", Bytes($"{{\"{first}\":" + HostileInputs.Repeat("[", 20_000)), false, false),
                },
                11 => OneField("huge string", fields, _ => "\"" + new string('x', random.Next(200, 60_000)) + "\""),
                12 => OneField("huge number", fields, _ => random.Next(3) switch
                {
                    0 => "1" + new string('0', random.Next(400, 20_000)),
                    1 => "0." + new string('9', random.Next(400, 20_000)),
                    _ => "-1e" + random.Next(309, 100_000).ToString(CultureInfo.InvariantCulture),
                }),
                13 => random.Next(2) == 0
                    ? ("5,000 members", Bytes(Object(Enumerable.Range(0, 5000).Select(i => ($"\"f{i}\"", "1")))), false, false)
                    : OneField("20,000-item array", fields, _ => "[" + HostileInputs.Repeat("1,", 20_000) + "1]"),
                14 => ("not an object", Bytes(Pick(["[]", "\"x\"", "1", "null", "true", "[{}]", " ", "\uFEFF{}", "\uFEFF", "{}{}", "{} []", "{}\u0000", "{/*c*/}", "{'a':1}", "{a:1}"])), false, false),
                15 => ("random bytes", RandomBytes(random.Next(1, 3000)), false, false),
                16 => OneField("invalid UTF-8", fields, _ => Pick(HostileInputs.JsonStrings.Where(s => s.Any(c => c is >= '\uE000' and <= '\uE003')).ToArray())),
                17 => ("invalid UTF-8 in a name", Bytes(Object(fields.Select(f => ($"\"{f.Name}\"", f.Valid(random))).Append(($"\"x{HostileInputs.InvalidByte}\"", "1")))), false, false),
                18 => ("unicode edges everywhere", Bytes(Object(fields.Select(f => ($"\"{f.Name}\"", Pick(HostileInputs.JsonStrings))))), false, false),
                19 => ("lone surrogate in a name", Bytes(Object(fields.Select(f => ($"\"{f.Name}\"", f.Valid(random))).Append(("\"\\ud800\"", "1")))), false, false),
                20 => ("empty body", [], false, false),
                21 => Oversized("over the limit", first, route.BodyLimit),
                22 => ("trailing data", Bytes(Valid() + Pick([" x", "{}", ",", "\u0000", " // c", "]"])), false, false),
                23 when route.Name == "catalog-batch" => random.Next(3) switch
                {
                    0 => ("batch of 1,001 items", Bytes("{\"items\":[" + string.Join(",", Enumerable.Range(0, 1001).Select(i => $"{{\"itemId\":\"i-{i}\"}}")) + "]}"), false, false),
                    1 => ("empty batch", Bytes("{\"items\":[]}"), false, false),
                    _ => ("batch items hostile", Bytes("{\"items\":[" + string.Join(",", Enumerable.Range(0, random.Next(1, 20)).Select(_ => HostileValue())) + "]}"), false, false),
                },
                23 when route.Name == "events-batch" => random.Next(3) switch
                {
                    0 => ("batch of 1,001 events", Bytes("{\"events\":[" + string.Join(",", Enumerable.Repeat("{}", 1001)) + "]}"), false, false),
                    1 => ("empty batch", Bytes("{\"events\":[]}"), false, false),
                    _ => ("batch items hostile", Bytes("{\"events\":[" + string.Join(",", Enumerable.Range(0, random.Next(1, 20)).Select(_ => HostileValue())) + "]}"), false, false),
                },
                _ => OneField("one field a wrong type", fields, f => WrongType(f.Valid(random))),
            };
        }

        private (string, byte[], bool, bool) OneField(string kind, Field[] fields, Func<Field, string> value)
        {
            var target = Pick(fields);
            return (kind + $" ({target.Name})", Bytes(Object(fields.Select(f => ($"\"{f.Name}\"", f == target ? value(f) : f.Valid(random))))), false, false);
        }

        /// <summary>A body past the route's limit, announced (Content-Length with Expect: 100-continue) or chunked.</summary>
        private (string, byte[], bool, bool) Oversized(string kind, string field, int limit)
        {
            var size = limit + 1 + random.Next(0, 4096);
            var body = Bytes($"{{\"{field}\":\"" + new string('x', size) + "\"}");
            var chunked = Chance(0.4);
            return ($"{kind} ({body.Length} bytes{(chunked ? ", chunked" : "")})", body, chunked, true);
        }

        private string Authenticate(Route route, List<(string, string)> headers)
        {
            var roll = random.Next(100);
            if (route.Operator)
            {
                switch (roll)
                {
                    case < 90:
                        headers.Add(("Authorization", "Bearer " + StandaloneOptions.OperatorKey));
                        return OperatorCredential;
                    case < 94:
                        return "none";
                    case < 97:
                        headers.Add(("Authorization", "Bearer " + fuzzKey));
                        return "tenant key on the operator API";
                    default:
                        headers.Add(("Authorization", Pick(["Bearer", "Basic b3A6b3A=", "Bearer " + new string('o', 5000), "Bearer opérateur"])));
                        return "malformed";
                }
            }

            switch (roll)
            {
                case < 88:
                    headers.Add(("Authorization", "Bearer " + fuzzKey));
                    return FuzzKey;
                case < 93:
                    headers.Add(("X-Api-Key", fuzzKey));
                    return FuzzKeyAsHeader;
                case < 96:
                    return "none";
                case < 98:
                    headers.Add(("Authorization", Pick(["Bearer rpk_aaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "Bearer", "Bearer " + new string('k', 9000), "Bearer kéy"])));
                    return "unknown or malformed key";
                default:
                    headers.Add(("Authorization", "Bearer " + StandaloneOptions.OperatorKey));
                    return "operator key on a partner route";
            }
        }

        private void AddOddHeaders(string method, List<(string, string)> headers)
        {
            if (Chance(0.05))
            {
                headers.Add(("x-retention-tenant", Pick(["demo", "other", "fuzz-target", "", "DEMO", "../demo"])));
                headers.Add(("x-retention-gateway-signature", Pick(["v1.1.AAAA", "v1.99999999999999999999.x", "", "garbage"])));
            }

            if (method is "POST" or "PUT" or "PATCH" && Chance(0.15))
            {
                headers.Add(("Idempotency-Key", Pick([$"k-{random.Next(40)}", "", " ", new string('k', 300), new string('k', 255), "ключ-ü", "a b", "%00", "k\t1"])));
            }

            if (Chance(0.04))
            {
                headers.Add(("Accept", Pick(["application/xml", "text/html;q=0", "*/*;q=abc", "application/problem+xml", ""])));
            }

            if (Chance(0.03))
            {
                headers.Add(("Content-Encoding", Pick(["gzip", "br", "deflate, gzip", "identity", "x-unknown"])));
            }

            if (Chance(0.02))
            {
                headers.Add(("X-HTTP-Method-Override", "DELETE"));
            }

            if (Chance(0.03))
            {
                headers.Add(("traceparent", Pick(["00-zzzz-zzzz-01", "ff-" + new string('0', 300), "00-00000000000000000000000000000000-0000000000000000-01"])));
                headers.Add(("baggage", new string('b', 2000)));
            }

            if (Chance(0.02))
            {
                headers.Add(("X-Request-Id", "spoofed-" + new string('r', 200)));
            }

            if (Chance(0.02))
            {
                headers.Add(("Range", "bytes=0-0"));
            }
        }

        private string HostileValue() => random.Next(4) switch
        {
            0 => Pick(HostileInputs.JsonStrings),
            1 => "\"" + new string('y', random.Next(100, 5000)) + "\"",
            _ => Pick(HostileInputs.JsonValues),
        };

        /// <summary>A value of another JSON type than <paramref name="valid"/>.</summary>
        private string WrongType(string valid) => valid[0] switch
        {
            '"' => Pick(["1", "-0", "1e400", "true", "[]", "{}", "[\"x\"]", "{\"x\":\"y\"}"]),
            '{' => Pick(["\"{}\"", "[]", "1", "false", "[{}]"]),
            '[' => Pick(["\"[]\"", "{}", "1", "true", "{\"0\":1}"]),
            't' or 'f' => Pick(["\"true\"", "1", "0", "[]", "{}", "\"yes\""]),
            'n' => Pick(["\"null\"", "0", "[]", "{}", "false"]),
            _ => Pick(["\"1\"", "true", "[]", "{}", "\"1e400\"", "\"NaN\""]),
        };

        private byte[] Truncate(string json) => Bytes(json[..random.Next(1, Math.Max(2, json.Length))]);

        private static string Object(IEnumerable<(string Name, string Value)> members) => "{" + string.Join(",", members.Select(m => $"{m.Name}:{m.Value}")) + "}";

        private static byte[] Bytes(string text) => HostileInputs.ToBytes(text);

        private byte[] RandomBytes(int length)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            return bytes;
        }

        private bool Chance(double probability) => random.NextDouble() < probability;

        private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

        private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];
    }

    /// <summary>
    /// Makes hostile gRPC calls (framing, protobuf, metadata) from a seeded generator; <c>schedule</c> is what the
    /// Scheduling service's calls refer to (null for the other services).
    /// </summary>
    private sealed partial class GrpcFuzzer(Random random, string fuzzKey, string service, string[] methods, ScheduleTargets? schedule = null)
    {
        public const string ProfilesService = "retention.profiles.v1.Profiles";
        public const string RecommendationsService = "retention.recommendations.v1.Recommendations";

        public static readonly string[] ProfilesMethods =
        [
            "GetProfile", "SetTraits", "SetConsent", "SetPreferences", "Identify", "DecideContact", "RequestHuman", "MergeCustomers", "ExportCustomer",
            "EraseCustomer", "ResolveAlias", "DefineSegment", "ListSegments", "DeleteSegment", "ListSegmentMembers", "GetContactPolicy", "SetContactPolicy",
        ];

        public static readonly string[] RecommendationsMethods = ["RecommendForCustomer", "SimilarItems", "PopularItems", "UpsertItems", "GetItem", "DeleteItem"];

        private static readonly int[] Limits = [0, 1, -1, 10, 100, 101, int.MaxValue, int.MinValue];


        private static readonly string[] HostileTexts =
        [
            "", " ", "\0", "a\0b", "c-1", "shop/c-1", "..", "%2F", "\u202eevil", "\ud800", "\uffff", "😀", "email:", "email:a@b.c", "phone:+49",
            "25:61", "Mars/Olympus_Mons", "-1", "1e400", "NaN", "P99999999999D", new string('a', 129), new string('a', 10 * 1024), "gte", "olderThan",
        ];

        private static readonly long[] Seconds = [0, 1, -1, long.MaxValue, long.MinValue, 253_402_300_800, -62_135_596_801, 1_800_000_000, 315_576_000_001];
        private static readonly int[] Nanos = [0, -1, 999_999_999, 1_000_000_000, int.MaxValue, int.MinValue];
        private static readonly double[] Doubles = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 1e308, -1, 0.5, 2];

        public GrpcRequest Next(int index)
        {
            var roll = random.Next(100);
            var method = methods[random.Next(methods.Length)];
            var path = roll switch
            {
                < 96 => $"/{service}/{method}",
                < 98 => Pick(OddPaths()),
                _ => Pick(["/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"]),
            };
            var headers = new List<(string, string)>();
            if (!Chance(0.03))
            {
                headers.Add(("x-api-key", fuzzKey));
            }

            var contentType = "application/grpc";
            var message = Message(method);
            var valid = message.ToByteArray();

            // Scheduling sends whole messages more often, so that calls get past parsing to the scheduler and the database;
            // the other services draw nothing more here, so their calls stay as their seeds made them before.
            (string Kind, byte[] Body) call = (schedule is not null && Chance(0.4) ? 0 : random.Next(100)) switch
            {
                < 22 => ("message with hostile values", Frame(valid)),
                < 36 => ("random bytes", Frame(RandomBytes(random.Next(1, 512)))),
                < 50 => ("bit flips", Frame(Flip(valid))),
                < 55 => ("truncated message", Frame(valid.Length > 1 ? valid[..random.Next(1, valid.Length)] : [0x0A])),
                < 63 => ("wrong wire type", Frame(WrongWireType())),
                < 66 => ("varint longer than 10 bytes", Frame([0x08, .. Enumerable.Repeat((byte)0xFF, 11), 0x01])),
                < 69 => ("length past the end", Frame([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x61, 0x62])),
                < 73 => ("invalid UTF-8 in a string", Frame([0x0A, 0x05, 0xFF, 0xFE, 0xED, 0xA0, 0x80])),
                < 76 => ("200 nested unknown groups", Frame([.. Enumerable.Repeat((byte)0x7B, 200), .. Enumerable.Repeat((byte)0x7C, 200)])),
                < 80 => ("duplicate and unknown fields", Frame([.. valid, .. valid, 0xF8, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0xAA, 0x06, 0x03, 0x61, 0x62, 0x63])),
                < 82 => ("no message at all", []),
                < 84 => ("frame shorter than it says", [0, 0, 0, 0x10, 0, .. valid.Take(4)]),
                < 86 => ("two messages for a unary call", [.. Frame(valid), .. Frame(valid)]),
                < 88 => ("compressed flag without grpc-encoding", [1, .. Frame(valid)[1..]]),
                < 89 => ("compressed flag 7", [7, .. Frame(valid)[1..]]),
                < 90 => ("declares a 2 GiB message", [0, 0x7F, 0xFF, 0xFF, 0xFF, 0x0A, 0x01, 0x61]),
                < 91 => ("header cut short", [0, 0, 0]),
                < 93 => ("gzip-compressed garbage", [1, .. Frame(RandomBytes(random.Next(1, 64)))[1..]]),
                < 95 => ("half a megabyte of unknown field", Frame([.. valid, 0xFA, 0x06, .. Varint(512 * 1024), .. new byte[512 * 1024]])),
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

            if (Chance(0.05))
            {
                headers.Add(("x-retention-tenant", "demo"));
                headers.Add(("x-retention-gateway-signature", "v1.1.AAAA"));
            }

            var promised = schedule is not null && call.Kind == "message with hostile values" && path == $"/{service}/{method}";
            return new GrpcRequest(index, call.Kind, path, call.Body, contentType, headers, promised ? MessageFields(message) : null);
        }

        /// <summary>A well-formed request message for <paramref name="method"/>, its values often hostile.</summary>
        private IMessage Message(string method)
        {
            if (schedule is not null)
            {
                return SchedulingMessage(method, schedule);
            }

            var id = Chance(0.6) ? $"c-{random.Next(10)}" : Pick(HostileTexts);
            var text = Chance(0.3) ? "ok" : Pick(HostileTexts);
            return method switch
            {
                "GetProfile" => new GetProfileRequest { CustomerId = id },
                "SetTraits" => new SetTraitsRequest { CustomerId = id, Traits = { [text] = Trait() }, Remove = { Pick(HostileTexts) } },
                "SetConsent" => new SetConsentRequest { CustomerId = id, Channel = (ContactChannel)random.Next(-2, 7), Purpose = (ContactPurpose)random.Next(-2, 6), Granted = Chance(0.5), Source = text },
                "SetPreferences" => new SetPreferencesRequest
                {
                    CustomerId = id, QuietHoursStart = text, QuietHoursEnd = Pick(HostileTexts), PreferredChannel = (ContactChannel)random.Next(-2, 7),
                    PausedUntil = new Timestamp { Seconds = Pick(Seconds), Nanos = Pick(Nanos) }, ClearPausedUntil = Chance(0.5), TimeZone = Pick(HostileTexts), Locale = text,
                },
                "Identify" => new IdentifyRequest { CustomerId = id, Email = text, Phone = Pick(HostileTexts), FirstName = text, ExternalIds = { [Pick(HostileTexts)] = text }, TimeZone = text },
                "DecideContact" => new DecideContactRequest { CustomerId = id, Channel = (ContactChannel)random.Next(-2, 7), Purpose = (ContactPurpose)random.Next(-2, 6), Kind = text, MessageId = Pick(HostileTexts) },
                "RequestHuman" => new RequestHumanRequest { CustomerId = id, Reason = text },
                "MergeCustomers" => new MergeCustomersRequest { CustomerId = id, SourceCustomerId = Chance(0.5) ? $"c-{random.Next(10)}" : text },
                "ExportCustomer" => new ExportCustomerRequest { CustomerId = id },
                "EraseCustomer" => new EraseCustomerRequest { CustomerId = id },
                "ResolveAlias" => new ResolveAliasRequest { Alias = text },
                "DefineSegment" => new DefineSegmentRequest
                {
                    Segment = Chance(0.1) ? null : new Segment
                    {
                        SegmentId = Chance(0.5) ? $"s-{random.Next(5)}" : id, Name = text,
                        Conditions = { Enumerable.Range(0, random.Next(0, 4)).Select(_ => new SegmentCondition { Field = Pick(["revenue", "orders", text]), Operator = Pick(["gte", "olderThan", text]), Value = Pick(HostileTexts) }) },
                    },
                },
                "ListSegments" => new ListSegmentsRequest(),
                "DeleteSegment" => new DeleteSegmentRequest { SegmentId = Chance(0.5) ? $"s-{random.Next(5)}" : text },
                "ListSegmentMembers" => new ListSegmentMembersRequest { SegmentId = Chance(0.5) ? $"s-{random.Next(5)}" : text, PageSize = Pick([0, 1, -1, 1000, 1001, int.MaxValue, int.MinValue]), PageToken = Pick(HostileTexts) },
                "GetContactPolicy" => new GetContactPolicyRequest(),
                "RecommendForCustomer" => new Recs.RecommendForCustomerRequest { CustomerId = id, Limit = Pick(Limits), Filter = Filter() },
                "SimilarItems" => new Recs.SimilarItemsRequest { ItemId = ItemId(), Limit = Pick(Limits), Filter = Filter() },
                "PopularItems" => new Recs.PopularItemsRequest { Limit = Pick(Limits), Filter = Filter() },
                "UpsertItems" => new Recs.UpsertItemsRequest { Items = { Enumerable.Range(0, random.Next(0, 4)).Select(_ => CatalogItem()) } },
                "GetItem" => new Recs.GetItemRequest { ItemId = ItemId() },
                "DeleteItem" => new Recs.DeleteItemRequest { ItemId = ItemId() },
                _ => new SetContactPolicyRequest
                {
                    Policy = Chance(0.1) ? null : new ContactPolicy
                    {
                        BudgetMaxTouches = Pick([0, -1, 1000, 1001, int.MaxValue, int.MinValue]), BudgetWindow = Duration(), QuietHoursStart = text, DefaultTimeZone = Pick(HostileTexts),
                        NegativeFeedbackWindow = Duration(), NegativeFeedbackThreshold = Pick(Doubles), RefundWindow = Duration(), CancellationWindow = Duration(),
                        AppointmentQuietPeriod = Duration(), DefaultPurchaseCadence = Duration(), MonetaryBands = { Enumerable.Range(0, random.Next(0, 6)).Select(_ => Pick(["1", "-5", "1e400", "79228162514264337593543950336", text])) },
                    },
                },
            };
        }

        /// <summary>Paths next to the service's own: an unknown method, an unknown service, no method, a method in the wrong case.</summary>
        private string[] OddPaths() =>
            [$"/{service}/Nope", $"/{service[..service.LastIndexOf('.')]}.Nope/{methods[0]}", $"/{service}/", $"/{service}/{methods[0].ToLowerInvariant()}"];

        private string ItemId() => Chance(0.6) ? $"i-{random.Next(10)}" : Pick(HostileTexts);

        private Recs.ItemFilter? Filter()
        {
            if (Chance(0.3))
            {
                return null;
            }

            var filter = new Recs.ItemFilter { Category = Chance(0.5) ? "coffee" : Pick(HostileTexts) };
            if (Chance(0.5))
            {
                filter.MinPrice = Pick(Doubles);
            }

            if (Chance(0.5))
            {
                filter.MaxPrice = Pick(Doubles);
            }

            return filter;
        }

        private Recs.CatalogItem CatalogItem()
        {
            var item = new Recs.CatalogItem { ItemId = ItemId(), Name = Pick(HostileTexts), Category = Chance(0.5) ? "coffee" : Pick(HostileTexts), Hidden = Chance(0.2) };
            if (Chance(0.6))
            {
                item.Price = Pick(Doubles);
            }

            if (Chance(0.3))
            {
                item.Available = Chance(0.5);
            }

            if (Chance(0.2))
            {
                item.CreatedAt = new Timestamp { Seconds = Pick(Seconds), Nanos = Pick(Nanos) };
            }

            return item;
        }

        private TraitValue Trait() => random.Next(4) switch
        {
            0 => new TraitValue { Text = Pick(HostileTexts) },
            1 => new TraitValue { Number = Pick(Doubles) },
            2 => new TraitValue { Flag = true },
            _ => new TraitValue(),
        };

        private ProtoDuration Duration() => new() { Seconds = Pick(Seconds), Nanos = Pick(Nanos) };

        /// <summary>Field 1 (a string or message in every request) sent with another wire type, or a wire type that does not exist.</summary>
        private byte[] WrongWireType() => random.Next(6) switch
        {
            0 => [0x08, 0x96, 0x01],
            1 => [0x09, 1, 2, 3, 4, 5, 6, 7, 8],
            2 => [0x0D, 1, 2, 3, 4],
            3 => [0x0B, 0x0C],
            4 => [0x0E, 0x01],
            _ => [0x0F, 0x01, 0x02],
        };

        private byte[] Flip(byte[] message)
        {
            if (message.Length == 0)
            {
                return RandomBytes(8);
            }

            var flipped = (byte[])message.Clone();
            for (var i = random.Next(1, 6); i > 0; i--)
            {
                flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
            }

            return flipped;
        }

        private static byte[] Frame(byte[] message) =>
            [0, (byte)(message.Length >> 24), (byte)(message.Length >> 16), (byte)(message.Length >> 8), (byte)message.Length, .. message];

        private static byte[] Varint(int value)
        {
            var bytes = new List<byte>();
            var rest = (uint)value;
            while (rest >= 0x80)
            {
                bytes.Add((byte)(rest | 0x80));
                rest >>= 7;
            }

            bytes.Add((byte)rest);
            return [.. bytes];
        }

        private byte[] RandomBytes(int length)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            return bytes;
        }

        private bool Chance(double probability) => random.NextDouble() < probability;

        private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
    }
}
