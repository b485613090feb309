using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using RetentionPlatform.Testing;

namespace RetentionPlatform.EventBus.Tests.Bus;

public sealed class KafkaEventBusTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static EventEnvelope Envelope(string id, string customer = "c-1", string tenant = "t1") =>
        new(id, "page_viewed", tenant, customer, At, 1, Encoding.UTF8.GetBytes($"{{\"eventId\":\"{id}\"}}"));

    private static string NewTopic()
    {
        var topic = TestServers.UniqueTopic("bus");
        TestServers.KafkaBroker.CreateTopic(topic, 4);
        return topic;
    }

    [Fact]
    public async Task APublishedEventArrivesWithItsEnvelopeAndItsOffsetIsCommitted()
    {
        var processor = new RecordingProcessor();
        await using var bus = await BusHost.StartAsync(processor, NewTopic());

        await bus.Publisher.PublishAsync(bus.Topic, Envelope("e1", customer: "alice/with-slash"));
        var consumed = await processor.Handled("e1");

        Assert.Equal(Envelope("e1", customer: "alice/with-slash") with { Payload = consumed.Envelope.Payload }, consumed.Envelope);
        Assert.Equal("{\"eventId\":\"e1\"}", Encoding.UTF8.GetString(consumed.Envelope.Payload.Span));
        Assert.Equal(consumed.Offset + 1, await WaitForCommitAsync(bus, consumed.Partition, consumed.Offset + 1));
    }

    [Fact]
    public async Task OneCustomersEventsAreHandedOverInTheOrderTheyWerePublished()
    {
        var processor = new RecordingProcessor();
        await using var bus = await BusHost.StartAsync(processor, NewTopic());

        for (var i = 0; i < 50; i++)
        {
            await bus.Publisher.PublishAsync(bus.Topic, Envelope($"o{i}"));
        }

        await processor.Handled("o49");
        var order = processor.Calls.SelectMany(c => c).Select(e => e.Envelope.EventId).ToList();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"o{i}"), order);
    }

    [Fact]
    public async Task ATransientFailureIsRetriedUntilItSucceeds()
    {
        var processor = new RecordingProcessor { Failure = (_, attempt) => attempt < 3 ? new TimeoutException("storage blinked") : null };
        await using var bus = await BusHost.StartAsync(processor, NewTopic());

        await bus.Publisher.PublishAsync(bus.Topic, Envelope("t1"));
        await processor.Handled("t1");

        Assert.Equal(3, processor.AttemptsFor("t1"));
    }

    [Fact]
    public async Task APoisonEventIsDeadLetteredWithItsErrorAndItsNeighboursStillArrive()
    {
        var processor = new RecordingProcessor
        {
            Failure = (e, _) => e.Envelope.EventId == "poison" ? new PermanentEventException("cannot apply poison") : null,
        };
        await using var bus = await BusHost.StartAsync(processor, NewTopic());

        await bus.Publisher.PublishAsync(bus.Topic, Envelope("before"));
        await bus.Publisher.PublishAsync(bus.Topic, Envelope("poison"));
        await bus.Publisher.PublishAsync(bus.Topic, Envelope("after"));
        var after = await processor.Handled("after");

        // Never retried: at most one more try when the consumer isolates it from the events it was batched with.
        Assert.InRange(processor.AttemptsFor("poison"), 1, 2);
        var dead = ConsumeOne(EventTopics.DeadLetter(bus.GroupId));
        Assert.Equal("poison", Header(dead, EventHeaders.EventId));
        Assert.Equal("cannot apply poison", Header(dead, EventHeaders.DeadLetterError));
        Assert.Equal(bus.Topic, Header(dead, EventHeaders.DeadLetterSourceTopic));
        Assert.Equal(after.Offset + 1, await WaitForCommitAsync(bus, after.Partition, after.Offset + 1));
    }

    [Fact]
    public async Task AnEventThatKeepsFailingIsDeadLetteredAfterTheLastAttempt()
    {
        var processor = new RecordingProcessor { Failure = (e, _) => e.Envelope.EventId == "flaky" ? new InvalidOperationException("still broken") : null };
        await using var bus = await BusHost.StartAsync(processor, NewTopic());

        await bus.Publisher.PublishAsync(bus.Topic, Envelope("flaky"));
        var dead = ConsumeOne(EventTopics.DeadLetter(bus.GroupId));

        Assert.Equal("flaky", Header(dead, EventHeaders.EventId));
        Assert.Equal("3", Header(dead, EventHeaders.DeadLetterAttempts));
        Assert.Equal(3, processor.AttemptsFor("flaky"));
    }

    [Fact]
    public async Task AMessageWithoutTheEnvelopeHeadersIsDeadLettered()
    {
        var processor = new RecordingProcessor();
        await using var bus = await BusHost.StartAsync(processor, NewTopic());

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = TestServers.KafkaBootstrapServers }).Build())
        {
            await producer.ProduceAsync(bus.Topic, new Message<string, string> { Key = "t1/c-1", Value = "not an event" });
        }

        var dead = ConsumeOne(EventTopics.DeadLetter(bus.GroupId));
        Assert.Contains("is missing", Header(dead, EventHeaders.DeadLetterError), StringComparison.Ordinal);
        Assert.Empty(processor.Calls);
    }

    [Fact]
    public async Task AnEventInFlightAtShutdownIsNotCommittedAndComesBackToTheNextConsumer()
    {
        var topic = NewTopic();
        var groupId = $"group-{Guid.NewGuid():N}";
        var stuck = new RecordingProcessor { Gate = new TaskCompletionSource() };
        var first = await BusHost.StartAsync(stuck, topic, groupId, grace: TimeSpan.FromMilliseconds(100));
        await first.Publisher.PublishAsync(topic, Envelope("in-flight"));
        await WaitUntilAsync(() => stuck.Calls.IsEmpty && first.CommittedOffsets().Count == 0, TimeSpan.FromSeconds(1));
        await first.DisposeAsync();

        Assert.Empty(first.CommittedOffsets());

        var next = new RecordingProcessor();
        await using var second = await BusHost.StartAsync(next, topic, groupId);
        var redelivered = await next.Handled("in-flight");
        Assert.Equal("in-flight", redelivered.Envelope.EventId);
    }

    [Fact]
    public async Task TheTraceContinuesFromThePublisherToTheProcessor()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is EventBusTelemetry.Name or "test",
            Sample = (ref _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("test");
        var processor = new RecordingProcessor();
        await using var bus = await BusHost.StartAsync(processor, NewTopic());

        ActivityTraceId traceId;
        using (var request = source.StartActivity("partner request"))
        {
            traceId = request!.TraceId;
            await bus.Publisher.PublishAsync(bus.Topic, Envelope("traced"));
        }

        await processor.Handled("traced");
        Assert.Contains(("traced", traceId), processor.Traces);
    }

    private static ConsumeResult<string, string> ConsumeOne(string topic)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = TestServers.KafkaBootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            GroupProtocol = GroupProtocol.Consumer,
            FetchWaitMaxMs = 50,
        }).Build();
        consumer.Subscribe(topic);
        try
        {
            return consumer.Consume(TimeSpan.FromSeconds(30)) ?? throw new TimeoutException($"Nothing arrived on {topic}.");
        }
        finally
        {
            consumer.Close();
        }
    }

    private static string Header(ConsumeResult<string, string> result, string name) =>
        EventMessageCodec.Optional(result.Message.Headers, name) ?? throw new KeyNotFoundException(name);

    private static async Task<long> WaitForCommitAsync(BusHost bus, int partition, long expected)
    {
        long committed = -1;
        await WaitUntilAsync(() => (committed = bus.CommittedOffsets().GetValueOrDefault(partition, -1)) >= expected, TimeSpan.FromSeconds(15));
        return committed;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition() && deadline.Elapsed < timeout)
        {
            await Task.Delay(20);
        }
    }
}
