using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using RetentionPlatform.EventBus;
using RetentionPlatform.Gateway.Protection;
using RetentionPlatform.Standalone;
using RetentionPlatform.Testing;
using Xunit.Abstractions;

namespace RetentionPlatform.EndToEnd.Tests;

/// <summary>
/// The trace shape the README promises: one posted event is one trace, from the gateway's request span through
/// the Events service and Kafka into the Profiles grain and its state commit.
/// </summary>
public sealed class TraceTreeTests(TraceTreeFixture fixture, ITestOutputHelper output) : IClassFixture<TraceTreeFixture>, IDisposable
{
    private const string AspNetCoreSource = "Microsoft.AspNetCore";
    private const string HttpClientSource = "System.Net.Http";
    private const string OrleansSourcePrefix = "Microsoft.Orleans";
    private const string GrainStorageSource = "RetentionPlatform.Profiles.GrainStorage";
    private const string NpgsqlSource = "Npgsql";
    private static readonly TimeSpan ProcessingTimeout = TimeSpan.FromSeconds(20);

    private readonly PartnerClient _partner = new(fixture.Platform.GatewayHttpUrl, StandaloneOptions.DemoApiKey);

    public void Dispose() => _partner.Dispose();

    [Fact]
    public async Task OnePostedEventIsOneConnectedTraceFromTheGatewayIntoTheGrain()
    {
        var eventId = $"trace-{Guid.NewGuid():N}";
        var traceId = await PostAsync(eventId, $"c-{Guid.NewGuid():N}");

        var consumer = await WaitForProfilesConsumerSpanAsync(eventId);
        var trace = await WaitForSettledTraceAsync(traceId);
        var all = fixture.Spans();
        var linked = all.Where(s => s.TraceId != traceId && s.Links.Any(l => l.Context.TraceId == traceId)).ToList();
        output.WriteLine(Render(traceId, trace, linked));

        // One tree: a single root, and every other span's parent is a span of the same trace.
        Assert.All(trace, s => Assert.Equal(traceId, s.TraceId));
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        var root = Assert.Single(trace, s => s.ParentSpanId == default);
        var detached = trace.Where(s => s.ParentSpanId != default && !ids.Contains(s.ParentSpanId)).ToList();
        Assert.True(detached.Count == 0, $"Spans whose parent is not in the trace: {string.Join(", ", detached.Select(Describe))}");

        // The root is the gateway's server span for the POST: the gateway starts every trace, so the partner's own
        // span (this test's HttpClient sends its traceparent, as a partner's instrumented client does) is not in it.
        var gatewayPort = fixture.Platform.GatewayHttpUrl.Port;
        Assert.True(
            IsServerSpan(root, gatewayPort),
            $"The root is {Describe(root)}, not the gateway's server span (a caller's span at the root: the gateway continued its traceparent).");
        Assert.Equal("POST", Tag(root, "http.request.method"));
        Assert.Equal("/v1/events", Tag(root, "url.path"));

        // The profiles consumer's process span belongs to the same trace, under the chain the README describes.
        Assert.True(consumer.TraceId == traceId, $"The Profiles consumer span is in trace {consumer.TraceId}, not the request's {traceId}.");
        var path = Ancestors(consumer, trace).Reverse().Append(consumer).ToList();
        var eventsPort = fixture.Platform.ServiceGrpcUrls["events"].Port;
        AssertInOrder(
            path,
            ("gateway server span", s => IsServerSpan(s, gatewayPort)),
            ("gateway's HTTP/2 call to the Events service", s => s.Source.Name == HttpClientSource && s.Kind == ActivityKind.Client && Tag(s, "server.port") == Port(eventsPort)),
            ("Events server span", s => IsServerSpan(s, eventsPort)),
            ("Kafka producer span", s => s.Source.Name == EventBusTelemetry.Name && s.Kind == ActivityKind.Producer
                                         && Tag(s, "messaging.destination.name") == EventTopics.CustomerEvents && Tag(s, "messaging.message.id") == eventId),
            ("Kafka consumer span of Profiles", s => s == consumer));

        // Under the consumer span: the Orleans grain call, and the grain state commit with its PostgreSQL statements,
        // either as a child of the call or (when committed in a group) linked to it.
        var grainCalls = Descendants(consumer, trace).Where(s => s.Source.Name.StartsWith(OrleansSourcePrefix, StringComparison.Ordinal)).ToList();
        Assert.True(grainCalls.Count > 0, "No Orleans grain call span under the Profiles consumer span.");
        var grainSubtree = grainCalls.SelectMany(c => Descendants(c, trace).Prepend(c)).Select(s => s.SpanId).ToHashSet();
        var commits = all.Where(s => s.Source.Name == GrainStorageSource
                                     && ((s.TraceId == traceId && grainSubtree.Contains(s.ParentSpanId))
                                         || s.Links.Any(l => l.Context.TraceId == traceId && grainSubtree.Contains(l.Context.SpanId))))
                         .ToList();
        Assert.True(commits.Count > 0, "No grain state commit span under (or linked to) the grain call.");
        Assert.All(commits, commit => Assert.Contains(all, s => s.Source.Name == NpgsqlSource && s.TraceId == commit.TraceId && s.ParentSpanId == commit.SpanId));

        // A link that points into this trace must point at a span that exists in it.
        foreach (var span in linked)
        {
            Assert.All(span.Links.Where(l => l.Context.TraceId == traceId), l => Assert.Contains(l.Context.SpanId, ids));
        }
    }

    [Fact]
    public async Task TwoEventsInTwoRequestsAreTwoTraces()
    {
        var first = $"trace-a-{Guid.NewGuid():N}";
        var second = $"trace-b-{Guid.NewGuid():N}";
        var firstTrace = await PostAsync(first, $"c-{Guid.NewGuid():N}");
        var secondTrace = await PostAsync(second, $"c-{Guid.NewGuid():N}");

        Assert.NotEqual(firstTrace, secondTrace);
        var firstConsumer = await WaitForProfilesConsumerSpanAsync(first);
        var secondConsumer = await WaitForProfilesConsumerSpanAsync(second);
        output.WriteLine(Render(firstTrace, await WaitForSettledTraceAsync(firstTrace), []));
        output.WriteLine(Render(secondTrace, await WaitForSettledTraceAsync(secondTrace), []));

        Assert.Equal(firstTrace, firstConsumer.TraceId);
        Assert.Equal(secondTrace, secondConsumer.TraceId);

        // Nothing of either event's handling lands in the other's trace.
        var spans = fixture.Spans();
        Assert.DoesNotContain(spans, s => s.TraceId == firstTrace && Tag(s, "messaging.message.id") == second);
        Assert.DoesNotContain(spans, s => s.TraceId == secondTrace && Tag(s, "messaging.message.id") == first);
        foreach (var consumer in new[] { firstConsumer, secondConsumer })
        {
            var trace = spans.Where(s => s.TraceId == consumer.TraceId).ToList();
            Assert.Contains(Descendants(consumer, trace), s => s.Source.Name.StartsWith(OrleansSourcePrefix, StringComparison.Ordinal));
        }
    }

    /// <summary>Posts one event through the gateway and returns the trace id it answers with in <c>X-Request-Id</c>.</summary>
    private async Task<ActivityTraceId> PostAsync(string eventId, string customerId)
    {
        using var response = await _partner.PostEventAsync(eventId, customerId, "order_placed");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var requestId = Assert.Single(response.Headers.GetValues(RequestIds.Header));
        Assert.Matches("^[0-9a-f]{32}$", requestId);
        return ActivityTraceId.CreateFromString(requestId);
    }

    /// <summary>The Profiles group's process span for <paramref name="eventId"/>, found by its message id (not by trace).</summary>
    private async Task<Activity> WaitForProfilesConsumerSpanAsync(string eventId) =>
        (await Eventually.GetAsync(
            () => Task.FromResult(fixture.Spans().FirstOrDefault(s =>
                s.Source.Name == EventBusTelemetry.Name && s.Kind == ActivityKind.Consumer
                && Tag(s, "messaging.destination.name") == EventTopics.CustomerEvents
                && Tag(s, "messaging.consumer.group.name") == EventTopics.ProfilesConsumerGroup
                && Tag(s, "messaging.message.id") == eventId)),
            span => span is not null,
            $"the Profiles consumer's span for event {eventId}",
            ProcessingTimeout))!;

    /// <summary>
    /// The trace's spans once the ones still running elsewhere (other consumer groups, profile events) have ended:
    /// a child ends before its parent, so a parent missing for a while is normal. If one is still missing at the
    /// deadline, the trace is returned as it is and the assertions name what is detached.
    /// </summary>
    private async Task<List<Activity>> WaitForSettledTraceAsync(ActivityTraceId traceId)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var trace = fixture.Spans().Where(s => s.TraceId == traceId).ToList();
            var ids = trace.Select(s => s.SpanId).ToHashSet();
            var settled = trace.Count > 0 && trace.All(s => s.ParentSpanId == default || ids.Contains(s.ParentSpanId));
            if (settled || deadline.Elapsed > ProcessingTimeout)
            {
                return trace;
            }

            await Task.Delay(50);
        }
    }

    private static bool IsServerSpan(Activity span, int port) =>
        span.Source.Name == AspNetCoreSource && span.Kind == ActivityKind.Server && Tag(span, "server.port") == Port(port);

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string? Tag(Activity span, string name) => span.GetTagItem(name) switch
    {
        null => null,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        var value => value.ToString(),
    };

    private static IEnumerable<Activity> Ancestors(Activity span, List<Activity> trace)
    {
        var byId = trace.ToDictionary(s => s.SpanId);
        for (var current = span; current.ParentSpanId != default && byId.TryGetValue(current.ParentSpanId, out var parent); current = parent)
        {
            yield return parent;
        }
    }

    private static IEnumerable<Activity> Descendants(Activity span, List<Activity> trace)
    {
        foreach (var child in trace.Where(s => s.ParentSpanId == span.SpanId && s.TraceId == span.TraceId))
        {
            yield return child;
            foreach (var grandchild in Descendants(child, trace))
            {
                yield return grandchild;
            }
        }
    }

    /// <summary>Each step matches a span of <paramref name="path"/> (root first) later than the previous step's.</summary>
    private static void AssertInOrder(List<Activity> path, params (string What, Func<Activity, bool> Matches)[] steps)
    {
        var from = 0;
        foreach (var (what, matches) in steps)
        {
            var at = path.FindIndex(from, s => matches(s));
            Assert.True(at >= 0, $"No {what} on the path from the root to the consumer span (after position {from}): {string.Join(" -> ", path.Select(Describe))}");
            from = at + 1;
        }
    }

    private static string Describe(Activity span) => $"[{span.Source.Name}] {span.DisplayName} ({span.Kind})";

    /// <summary>The trace as an indented tree (source, name, kind, duration), detached spans and linked spans after it.</summary>
    private static string Render(ActivityTraceId traceId, List<Activity> trace, List<Activity> linked)
    {
        var text = new StringBuilder().AppendLine(CultureInfo.InvariantCulture, $"trace {traceId} ({trace.Count} spans)");
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        void Write(Activity span, int depth)
        {
            text.Append(' ', depth * 2).AppendLine(CultureInfo.InvariantCulture, $"{Describe(span)} {span.Duration.TotalMilliseconds:0.0} ms");
            foreach (var child in trace.Where(s => s.ParentSpanId == span.SpanId).OrderBy(s => s.StartTimeUtc))
            {
                Write(child, depth + 1);
            }
        }

        foreach (var top in trace.Where(s => s.ParentSpanId == default || !ids.Contains(s.ParentSpanId)).OrderBy(s => s.StartTimeUtc))
        {
            if (top.ParentSpanId != default)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"DETACHED (parent {top.ParentSpanId} not in the trace):");
            }

            Write(top, 0);
        }

        foreach (var span in linked)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"LINKED from trace {span.TraceId}: {Describe(span)} {span.Duration.TotalMilliseconds:0.0} ms -> {string.Join(", ", span.Links.Select(l => l.Context.SpanId))}");
        }

        return text.ToString();
    }
}
