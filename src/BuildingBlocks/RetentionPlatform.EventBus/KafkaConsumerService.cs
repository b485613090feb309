using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RetentionPlatform.EventBus;

/// <summary>
/// Reads one topic as one consumer group and hands each key's events, in order, to an <see cref="IEventProcessor"/>.
/// Offsets are committed only after every event of a batch has been handled or dead-lettered, so a
/// crash replays work instead of losing it. Failures are retried with exponential backoff; an event that
/// still fails (or is malformed) goes to the group's dead-letter topic with the error attached.
/// </summary>
public sealed partial class KafkaConsumerService(
    KafkaConsumerOptions consumerOptions,
    IEventProcessor handler,
    IOptions<KafkaOptions> kafkaOptions,
    KafkaProducerConnection producer,
    EventBusTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<KafkaConsumerService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private long _lag;

    /// <summary>Total messages behind the end of the partitions this instance holds, as last observed.</summary>
    public long Lag => Interlocked.Read(ref _lag);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // Consume() and Commit() block; the whole loop stays on one dedicated thread (it waits for each
        // batch's asynchronous handling) so the thread pool keeps its threads for the handlers.
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        telemetry.ObserveLag(consumerOptions.Topic, consumerOptions.GroupId, () => Lag);
        using var consumer = BuildConsumer();
        consumer.Subscribe(consumerOptions.Topic);
        LogStarted(consumerOptions.Topic, consumerOptions.GroupId);

        // Shutdown lets the batch in flight finish (then commits it) for a grace period before abandoning it.
        using var processingCts = new CancellationTokenSource();
        using var registration = stoppingToken.Register(() => processingCts.CancelAfter(consumerOptions.ShutdownGracePeriod));

        var batch = new List<ConsumeResult<string, byte[]>>(consumerOptions.MaxBatchSize);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                batch.Clear();
                ConsumeResult<string, byte[]>? first;
                try
                {
                    first = consumer.Consume(stoppingToken);
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    LogConsumeError(ex, consumerOptions.Topic, ex.Error.Reason);
                    continue;
                }

                if (first is null)
                {
                    continue;
                }

                batch.Add(first);
                while (batch.Count < consumerOptions.MaxBatchSize && consumer.Consume(TimeSpan.Zero) is { } next)
                {
                    batch.Add(next);
                }

                try
                {
                    ProcessBatchAsync(batch, processingCts.Token).GetAwaiter().GetResult();
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Typically the dead-letter topic could not be written: nothing of the batch is committed,
                    // so read it again after a pause instead of skipping it or stopping the service.
                    LogBatchFailed(ex, consumerOptions.Topic, batch.Count);
                    Rewind(consumer, batch);
                    stoppingToken.WaitHandle.WaitOne(MaxBackoff);
                    continue;
                }

                Commit(consumer, batch);
                UpdateLag(consumer);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
        finally
        {
            consumer.Close();
            LogStopped(consumerOptions.Topic, consumerOptions.GroupId);
        }
    }

    private IConsumer<string, byte[]> BuildConsumer()
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(kafkaOptions.Value.Consumer))
        {
            BootstrapServers = KafkaProducerConnection.RequireBootstrap(kafkaOptions.Value),
            GroupId = consumerOptions.GroupId,
            EnableAutoCommit = false,
            EnablePartitionEof = false,
        };
        config.AutoOffsetReset ??= AutoOffsetReset.Earliest;
        return new ConsumerBuilder<string, byte[]>(config)
            .SetErrorHandler((_, error) => LogKafkaError(consumerOptions.GroupId, error.Code, error.Reason))
            .Build();
    }

    private async Task ProcessBatchAsync(List<ConsumeResult<string, byte[]>> batch, CancellationToken cancellationToken)
    {
        // Group by key in arrival order: one key lives on one partition, so each group keeps its order.
        var groups = new Dictionary<string, List<(ConsumeResult<string, byte[]> Raw, ConsumedEvent Event)>>(StringComparer.Ordinal);
        foreach (var result in batch)
        {
            ConsumedEvent consumed;
            try
            {
                consumed = EventMessageCodec.FromResult(result);
            }
            catch (PermanentEventException ex)
            {
                await DeadLetterAsync(result, ex, attempts: 1, cancellationToken);
                continue;
            }

            var key = result.Message.Key ?? "";
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = [];
            }

            group.Add((result, consumed));
        }

        await Parallel.ForEachAsync(
            groups.Values,
            new ParallelOptions { MaxDegreeOfParallelism = consumerOptions.MaxConcurrency, CancellationToken = cancellationToken },
            async (group, ct) => await HandleGroupAsync(group, ct));
    }

    private async Task HandleGroupAsync(List<(ConsumeResult<string, byte[]> Raw, ConsumedEvent Event)> group, CancellationToken cancellationToken)
    {
        var (error, attempts) = await TryHandleAsync(group.ConvertAll(g => g.Event), cancellationToken);
        if (error is null)
        {
            return;
        }

        if (group.Count == 1)
        {
            await DeadLetterAsync(group[0].Raw, error, attempts, cancellationToken);
            return;
        }

        // One bad event must not take its neighbours down with it: retry the key's events one by one.
        foreach (var item in group)
        {
            var (singleError, singleAttempts) = await TryHandleAsync([item.Event], cancellationToken);
            if (singleError is not null)
            {
                await DeadLetterAsync(item.Raw, singleError, singleAttempts, cancellationToken);
            }
        }
    }

    private async Task<(Exception? Error, int Attempts)> TryHandleAsync(List<ConsumedEvent> events, CancellationToken cancellationToken)
    {
        var topicTag = new KeyValuePair<string, object?>("messaging.destination.name", consumerOptions.Topic);
        for (var attempt = 1; ; attempt++)
        {
            using var activity = StartProcessActivity(events);
            var started = timeProvider.GetTimestamp();
            try
            {
                await handler.ProcessAsync(events, cancellationToken);
                telemetry.Handled.Add(events.Count, topicTag);
                telemetry.HandleDuration.Record(timeProvider.GetElapsedTime(started).TotalSeconds, topicTag);
                return (null, attempt);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                telemetry.Failed.Add(1, topicTag);
                if (ex is PermanentEventException || attempt >= consumerOptions.MaxAttempts)
                {
                    return (ex, attempt);
                }

                var backoff = TimeSpan.FromTicks(Math.Min(consumerOptions.InitialBackoff.Ticks << (attempt - 1), MaxBackoff.Ticks));
                LogRetrying(ex, consumerOptions.Topic, events[0].Envelope.Key, attempt, backoff);
                await Task.Delay(backoff, timeProvider, cancellationToken);
            }
        }
    }

    private Activity? StartProcessActivity(List<ConsumedEvent> events)
    {
        // The first event's producer span is the parent (so a single event's trace continues unbroken);
        // the others are linked.
        var links = events.Count > 1
            ? events.Skip(1).Where(e => e.ParentContext != default).Select(e => new ActivityLink(e.ParentContext))
            : null;
        var activity = EventBusTelemetry.ActivitySource.StartActivity(
            ActivityKind.Consumer, events[0].ParentContext, links: links, name: $"process {consumerOptions.Topic}");
        if (activity is not null)
        {
            activity.SetTag("messaging.system", "kafka");
            activity.SetTag("messaging.operation.type", "process");
            activity.SetTag("messaging.destination.name", consumerOptions.Topic);
            activity.SetTag("messaging.consumer.group.name", consumerOptions.GroupId);
            activity.SetTag("messaging.batch.message_count", events.Count);
            activity.SetTag("messaging.message.id", events[0].Envelope.EventId);
        }

        return activity;
    }

    private async Task DeadLetterAsync(ConsumeResult<string, byte[]> raw, Exception error, int attempts, CancellationToken cancellationToken)
    {
        var headers = new Headers();
        foreach (var header in raw.Message.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        headers.Add(EventHeaders.DeadLetterError, EventMessageCodec.Encode(error.Message));
        headers.Add(EventHeaders.DeadLetterErrorType, EventMessageCodec.Encode(error.GetType().FullName ?? error.GetType().Name));
        headers.Add(EventHeaders.DeadLetterSourceTopic, EventMessageCodec.Encode(raw.Topic));
        headers.Add(EventHeaders.DeadLetterSourcePartition, EventMessageCodec.Encode(raw.Partition.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(EventHeaders.DeadLetterSourceOffset, EventMessageCodec.Encode(raw.Offset.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(EventHeaders.DeadLetterConsumerGroup, EventMessageCodec.Encode(consumerOptions.GroupId));
        headers.Add(EventHeaders.DeadLetterAttempts, EventMessageCodec.Encode(attempts.ToString(CultureInfo.InvariantCulture)));

        var topic = EventTopics.DeadLetter(consumerOptions.GroupId);
        // If the dead-letter write fails the batch is not committed and the event comes back: nothing is lost.
        await producer.Producer.ProduceAsync(topic, new Message<string, byte[]> { Key = raw.Message.Key, Value = raw.Message.Value, Headers = headers }, cancellationToken);
        telemetry.DeadLettered.Add(1, new KeyValuePair<string, object?>("messaging.destination.name", consumerOptions.Topic));
        LogDeadLettered(error, raw.Topic, raw.Partition.Value, raw.Offset.Value, topic, attempts);
    }

    private void Commit(IConsumer<string, byte[]> consumer, List<ConsumeResult<string, byte[]>> batch)
    {
        var offsets = batch
            .GroupBy(r => r.TopicPartition)
            .Select(g => new TopicPartitionOffset(g.Key, new Offset(g.Max(r => r.Offset.Value) + 1)))
            .ToList();
        try
        {
            consumer.Commit(offsets);
        }
        catch (KafkaException ex)
        {
            // Typically a rebalance took the partitions away; the next owner replays these events and
            // handlers are idempotent by event id.
            LogCommitFailed(ex, consumerOptions.GroupId, ex.Error.Reason);
        }
    }

    private static void Rewind(IConsumer<string, byte[]> consumer, List<ConsumeResult<string, byte[]>> batch)
    {
        foreach (var partition in batch.GroupBy(r => r.TopicPartition))
        {
            try
            {
                consumer.Seek(new TopicPartitionOffset(partition.Key, new Offset(partition.Min(r => r.Offset.Value))));
            }
            catch (KafkaException)
            {
                // The partition went to another member in a rebalance; it starts from the last commit anyway.
            }
        }
    }

    private void UpdateLag(IConsumer<string, byte[]> consumer)
    {
        long lag = 0;
        foreach (var partition in consumer.Assignment)
        {
            var watermarks = consumer.GetWatermarkOffsets(partition);
            var position = consumer.Position(partition);
            if (watermarks.High.Value >= 0 && position.Value >= 0)
            {
                lag += Math.Max(0, watermarks.High.Value - position.Value);
            }
        }

        Interlocked.Exchange(ref _lag, lag);
    }

    [LoggerMessage(LogLevel.Information, "Consuming {Topic} as group {GroupId}")]
    private partial void LogStarted(string topic, string groupId);

    [LoggerMessage(LogLevel.Information, "Stopped consuming {Topic} as group {GroupId}")]
    private partial void LogStopped(string topic, string groupId);

    [LoggerMessage(LogLevel.Warning, "Consume error on {Topic}: {Reason}")]
    private partial void LogConsumeError(Exception exception, string topic, string reason);

    [LoggerMessage(LogLevel.Warning, "Kafka error in group {GroupId}: {Code} {Reason}")]
    private partial void LogKafkaError(string groupId, ErrorCode code, string reason);

    [LoggerMessage(LogLevel.Warning, "Handling {Topic} key {Key} failed on attempt {Attempt}; retrying in {Backoff}")]
    private partial void LogRetrying(Exception exception, string topic, string key, int attempt, TimeSpan backoff);

    [LoggerMessage(LogLevel.Error, "Dead-lettered {Topic}[{Partition}]@{Offset} to {DeadLetterTopic} after {Attempts} attempt(s)")]
    private partial void LogDeadLettered(Exception exception, string topic, int partition, long offset, string deadLetterTopic, int attempts);

    [LoggerMessage(LogLevel.Error, "A batch of {Count} events from {Topic} could not be finished; it will be read again")]
    private partial void LogBatchFailed(Exception exception, string topic, int count);

    [LoggerMessage(LogLevel.Warning, "Offset commit failed for group {GroupId}: {Reason}; the events will be redelivered")]
    private partial void LogCommitFailed(Exception exception, string groupId, string reason);
}
