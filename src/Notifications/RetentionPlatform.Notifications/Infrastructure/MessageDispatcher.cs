using Microsoft.Extensions.Options;
using RetentionPlatform.EventBus;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Infrastructure;

/// <summary>
/// Runs the send pipeline: one loop claims due pending and deferred messages and decides them, another claims queued
/// messages and delivers them, each in batches with bounded concurrency. Claims are leases in PostgreSQL, so replicas
/// share the work and a replica that dies mid-batch lets its messages go when the lease ends. Every batch's outcomes
/// and log events are written in one transaction.
/// <para>
/// No duplicate sends: a message is marked sent in the same transaction that records it, and a retry or a restart only
/// claims messages not marked sent. The one window left is a crash after the channel accepted a message and before
/// that commit; the message then goes again with the same Message-ID (email) or Idempotency-Key (webhook, providers),
/// which the receiving side uses to drop the repeat.
/// </para>
/// </summary>
public sealed partial class MessageDispatcher(
    MessageStore store,
    SendPipeline pipeline,
    PipelineSignals signals,
    IOptions<NotificationsOptions> options,
    TimeProvider time,
    ILogger<MessageDispatcher> logger) : BackgroundService
{
    private static readonly MessageStatus[] ToDecide = [MessageStatus.Pending, MessageStatus.Deferred];
    private static readonly MessageStatus[] ToDeliver = [MessageStatus.Queued];

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        RunAsync("decide", signals.Decide, DecideOnceAsync, stoppingToken),
        RunAsync("deliver", signals.Deliver, DeliverOnceAsync, stoppingToken));

    /// <summary>Decides one batch of due messages; returns how many it settled.</summary>
    public async Task<int> DecideOnceAsync(CancellationToken ct)
    {
        var updates = await ProcessBatchAsync(ToDecide, pipeline.DecideAsync, ct);
        if (updates.Any(u => u.Status == MessageStatus.Queued))
        {
            signals.Deliver.Notify();
        }

        return updates.Count;
    }

    /// <summary>Delivers one batch of queued messages; returns how many it settled.</summary>
    public async Task<int> DeliverOnceAsync(CancellationToken ct) => (await ProcessBatchAsync(ToDeliver, pipeline.DeliverAsync, ct)).Count;

    private async Task<IReadOnlyList<MessageUpdate>> ProcessBatchAsync(MessageStatus[] statuses, Func<Message, CancellationToken, Task<MessageUpdate>> step, CancellationToken ct)
    {
        var settings = options.Value;
        var claimed = await store.ClaimAsync(statuses, settings.BatchSize, settings.Lease, time.GetUtcNow(), ct);
        if (claimed.Count == 0)
        {
            return [];
        }

        var updates = new MessageUpdate?[claimed.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, claimed.Count),
            new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency, CancellationToken = ct },
            async (i, token) =>
            {
                try
                {
                    updates[i] = await step(claimed[i], token);
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    // Profiles or PostgreSQL unreachable: the message keeps its state and is tried again after a short
                    // wait (its lease is released by the update).
                    LogStepFailed(logger, claimed[i].TenantId, claimed[i].MessageId, e);
                    var message = claimed[i];
                    updates[i] = new MessageUpdate(message, message.Status, time.GetUtcNow() + settings.RetryBaseDelay, message.Reason ?? "unavailable",
                        $"Will try again: {e.GetType().Name}.", message.Attempts, null, null, []);
                }
            });

        var settled = updates.Select(u => u!).ToList();
        await store.ApplyAsync(settled, time.GetUtcNow(), ct);
        signals.Publish.Notify();
        return settled;
    }

    private async Task RunAsync(string name, WakeSignal signal, Func<CancellationToken, Task<int>> once, CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var settled = 0;
            try
            {
                settled = await once(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogLoopFailed(logger, name, e);
            }

            // A full batch means more may be due right away.
            if (settled < options.Value.BatchSize)
            {
                try
                {
                    await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A pipeline step for message {MessageId} of tenant {TenantId} failed; it will be tried again.")]
    private static partial void LogStepFailed(ILogger logger, string tenantId, Guid messageId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Worker} worker failed a batch; retrying.")]
    private static partial void LogLoopFailed(ILogger logger, string worker, Exception exception);
}
