using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;
using RetentionPlatform.Contracts.Profiles.V1;
using RetentionPlatform.Testing;
using Xunit.Abstractions;

namespace RetentionPlatform.Deployment.Tests;

/// <summary>
/// The services deployed as the AppHost deploys them: separate OS processes configured only by the environment it
/// injects (<see cref="AppHostEnvironment"/>), two Profiles silos forming one Orleans cluster through PostgreSQL.
/// The foundation slice (an event posted through the gateway, the profile read back through it) works across the
/// processes, and one request's trace reaches the telemetry endpoint from every process it crossed.
/// </summary>
public sealed class MultiProcessPlatformTests(DeployedPlatform platform, ITestOutputHelper output) : IClassFixture<DeployedPlatform>
{
    private const int ActiveSiloStatus = 3;
    private const int Customers = 10;
    private static readonly TimeSpan SliceTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan TelemetryTimeout = TimeSpan.FromSeconds(15);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task TwoSilosFormOneClusterAndEventsPostedThroughTheGatewayReachTheProfilesReadThroughIt()
    {
        var test = Stopwatch.StartNew();
        output.WriteLine($"Platform start: {platform.StartTimings}.");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var process in platform.Processes)
        {
            // Liveness and readiness (PostgreSQL and, but for the gateway, Kafka answer), as an orchestrator probes them.
            foreach (var probe in new[] { "/alive", "/ready" })
            {
                using var answer = await http.GetAsync(new Uri(process.Endpoints.HttpUrl, probe));
                Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{process.Resource}#{process.Replica} answered {probe} with {answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}{Environment.NewLine}{platform.OutputTails(process.Resource)}");
            }
        }

        var siloPorts = Enumerable.Range(0, AppHostEnvironment.ProfilesReplicas)
            .Select(r => platform.Process(AppHostEnvironment.Profiles, r).Endpoints.SiloPort!.Value).ToHashSet();
        await WaitAsync(
            "both silos are active members of the one cluster",
            ActiveSilosAsync,
            active => active.SetEquals(siloPorts),
            SliceTimeout,
            AppHostEnvironment.Profiles);
        output.WriteLine($"Both silos active after {test.Elapsed.TotalSeconds:F1} s.");

        using var partner = new HttpClient { BaseAddress = platform.GatewayHttpUrl, Timeout = TimeSpan.FromSeconds(10) };
        using (var posted = await PostEventAsync(partner, "evt-first", "c-first"))
        {
            Assert.True(posted.StatusCode == HttpStatusCode.Accepted, $"POST /v1/events answered {posted.StatusCode}: {await posted.Content.ReadAsStringAsync()}{Environment.NewLine}{platform.OutputTails(AppHostEnvironment.Gateway, AppHostEnvironment.Events)}");
        }

        var first = await WaitAsync("c-first's profile shows its event", () => EventCountAsync(partner, "c-first"), count => count == 1, SliceTimeout);
        Assert.Equal(1, first);
        output.WriteLine($"First event read back after {test.Elapsed.TotalSeconds:F1} s.");

        // The second bootstrap key is another tenant's: demo's customer does not exist for it.
        using (var foreign = new HttpRequestMessage(HttpMethod.Get, "/v1/customers/c-first"))
        {
            foreign.Headers.Add("Authorization", $"Bearer {platform.Environment.OtherApiKey}");
            using var response = await partner.SendAsync(foreign);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        var customers = Enumerable.Range(0, Customers).Select(i => string.Create(CultureInfo.InvariantCulture, $"c-{i:D2}")).ToList();
        foreach (var customer in customers)
        {
            using var posted = await PostEventAsync(partner, $"evt-{customer}", customer);
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        foreach (var customer in customers)
        {
            Assert.Equal(1, await WaitAsync($"{customer}'s profile shows its event", () => EventCountAsync(partner, customer), count => count == 1, SliceTimeout));
        }

        output.WriteLine($"{Customers} more customers read back after {test.Elapsed.TotalSeconds:F1} s.");

        // The same profiles over gRPC: the gateway's grpc endpoint, forwarded to either silo's.
        using var channel = GrpcChannel.ForAddress(platform.Process(AppHostEnvironment.Gateway).Endpoints.GrpcUrl);
        var profiles = new Contracts.Profiles.V1.Profiles.ProfilesClient(channel);
        var key = new Metadata { { "x-api-key", platform.Environment.DevApiKey } };
        foreach (var customer in customers)
        {
            var profile = await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = customer }, key, deadline: DateTime.UtcNow.AddSeconds(10));
            Assert.Equal((customer, 1L), (profile.CustomerId, profile.EventCount));
        }

        // Both silos still members after serving the reads (neither was declared dead on the way).
        Assert.Equal(siloPorts, await ActiveSilosAsync());
        output.WriteLine($"Slice across processes: {test.Elapsed.TotalSeconds:F1} s.");
    }

    [Fact]
    public async Task OneRequestsTraceReachesTheTelemetryEndpointFromTheGatewayEventsAndProfilesProcesses()
    {
        var test = Stopwatch.StartNew();
        using var partner = new HttpClient { BaseAddress = platform.GatewayHttpUrl, Timeout = TimeSpan.FromSeconds(10) };
        using var posted = await PostEventAsync(partner, "evt-traced", "c-traced");
        Assert.True(posted.StatusCode == HttpStatusCode.Accepted, $"POST /v1/events answered {posted.StatusCode}.{Environment.NewLine}{platform.OutputTails(AppHostEnvironment.Gateway, AppHostEnvironment.Events)}");
        var requestId = Assert.Single(posted.Headers.GetValues("X-Request-Id"));
        Assert.Matches("^[0-9a-f]{32}$", requestId);
        var traceId = Convert.FromHexString(requestId);
        await WaitAsync("c-traced's profile shows its event", () => EventCountAsync(partner, "c-traced"), count => count == 1, SliceTimeout);

        string[] crossed = [AppHostEnvironment.Gateway, AppHostEnvironment.Events, AppHostEnvironment.Profiles];
        var reporting = await WaitAsync(
            $"trace {requestId} exported by {string.Join(", ", crossed)}",
            () => Task.FromResult(ResourcesExporting(OtlpSink.Traces, traceId)),
            resources => crossed.All(resources.Contains),
            TelemetryTimeout);
        output.WriteLine($"Trace {requestId} exported by {string.Join(", ", reporting)} after {test.Elapsed.TotalSeconds:F1} s.");

        var services = AppHostEnvironment.Services.ToHashSet();
        foreach (var signal in new[] { OtlpSink.Logs, OtlpSink.Metrics })
        {
            await WaitAsync(
                $"{signal} exported by every service",
                () => Task.FromResult(ResourcesExporting(signal, null)),
                services.IsSubsetOf,
                TelemetryTimeout);
        }
    }

    private async Task<HttpResponseMessage> PostEventAsync(HttpClient partner, string eventId, string customerId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events")
        {
            Content = new StringContent(
                $$$"""{"eventId":"{{{eventId}}}","type":"order_placed","customerId":"{{{customerId}}}","occurredAt":"2026-11-23T10:15:00Z","properties":{"total":42.5}}""",
                Encoding.UTF8,
                "application/json"),
        };
        return await partner.SendAsync(Authorized(request));
    }

    /// <summary>The customer's event count read through the gateway: 0 while unknown, -1 when it cannot be read now.</summary>
    private async Task<long> EventCountAsync(HttpClient partner, string customerId)
    {
        using var request = Authorized(new HttpRequestMessage(HttpMethod.Get, $"/v1/customers/{Uri.EscapeDataString(customerId)}"));
        try
        {
            using var response = await partner.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return 0;
            }

            if (!response.IsSuccessStatusCode)
            {
                return -1;
            }

            var profile = await response.Content.ReadFromJsonAsync<JsonElement>(Json);
            return profile.GetProperty("eventCount").GetInt64();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return -1;
        }
    }

    private HttpRequestMessage Authorized(HttpRequestMessage request)
    {
        request.Headers.Add("Authorization", $"Bearer {platform.Environment.DevApiKey}");
        return request;
    }

    /// <summary>The silo ports of the active members of the AppHost's cluster, read from the Orleans membership table.</summary>
    private async Task<HashSet<int>> ActiveSilosAsync()
    {
        await using var database = NpgsqlDataSource.Create(platform.ConnectionStrings[AppHostEnvironment.DatabaseOf[AppHostEnvironment.Profiles]]);
        await using var command = database.CreateCommand("select port from profiles.orleans_membership where deployment_id = $1 and status = $2");
        command.Parameters.AddWithValue("retention");
        command.Parameters.AddWithValue(ActiveSiloStatus);
        var ports = new HashSet<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ports.Add(reader.GetInt32(0));
        }

        return ports;
    }

    /// <summary>
    /// The resources whose processes sent an export of <paramref name="signal"/> (containing <paramref name="bytes"/>,
    /// when given): each export carries its process's resource attributes, so its <c>service.instance.id</c> (from
    /// <c>OTEL_RESOURCE_ATTRIBUTES</c>) says which process sent it, and its <c>service.name</c> (from
    /// <c>OTEL_SERVICE_NAME</c>) must be the resource's name.
    /// </summary>
    private HashSet<string> ResourcesExporting(string signal, byte[]? bytes)
    {
        var exports = platform.Telemetry.Exports(signal).Where(e => bytes is null || Contains(e, bytes)).ToList();
        return platform.Processes
            .Where(p => exports.Exists(e => Contains(e, Encoding.UTF8.GetBytes(p.InstanceId)) && Contains(e, StringValue(p.Resource))))
            .Select(p => p.Resource)
            .ToHashSet();
    }

    private static bool Contains(byte[] export, byte[] bytes) => export.AsSpan().IndexOf(bytes) >= 0;

    /// <summary>
    /// An attribute value that is exactly <paramref name="text"/> as protobuf encodes it (OTLP's <c>AnyValue.string_value</c>,
    /// field 1, length-delimited), so <c>events</c> does not also match inside <c>events-1a2b3c4d</c>.
    /// </summary>
    private static byte[] StringValue(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        return [0x0A, checked((byte)utf8.Length), .. utf8];
    }

    private async Task<T> WaitAsync<T>(string what, Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, params string[] tailsOf)
    {
        var last = default(T);
        try
        {
            return await Eventually.GetAsync(async () => last = await read(), done, what, timeout);
        }
        catch (TimeoutException)
        {
            var seen = last is System.Collections.IEnumerable items and not string ? string.Join(", ", items.Cast<object>()) : $"{last}";
            Assert.Fail($"Not within {timeout}: {what} (last seen: {seen}; telemetry received: {platform.Telemetry.Summary()}).{Environment.NewLine}{platform.OutputTails(tailsOf)}");
            throw;
        }
    }
}
