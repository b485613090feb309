using System.Collections.Concurrent;
using System.Diagnostics;

namespace RetentionPlatform.EventBus.Tests.Bus;

/// <summary>
/// Records what the consumer hands over and signals when an expected event id arrives; a test decides
/// per event whether processing throws.
/// </summary>
public sealed class RecordingProcessor : IEventProcessor
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ConsumedEvent>> _waiters = new();
    private readonly ConcurrentDictionary<string, int> _attempts = new();

    public ConcurrentQueue<IReadOnlyList<ConsumedEvent>> Calls { get; } = new();

    public ConcurrentQueue<(string EventId, ActivityTraceId TraceId)> Traces { get; } = new();

    /// <summary>Decides, per event and attempt number, whether processing fails (returns the exception) or succeeds (null).</summary>
    public Func<ConsumedEvent, int, Exception?> Failure { get; set; } = (_, _) => null;

    /// <summary>When set, processing waits for it (to hold an event in flight).</summary>
    public TaskCompletionSource? Gate { get; set; }

    public int AttemptsFor(string eventId) => _attempts.GetValueOrDefault(eventId);

    public Task<ConsumedEvent> Handled(string eventId) =>
        _waiters.GetOrAdd(eventId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(TimeSpan.FromSeconds(30));

    public async Task ProcessAsync(IReadOnlyList<ConsumedEvent> eventsOfOneKey, CancellationToken cancellationToken)
    {
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        foreach (var e in eventsOfOneKey)
        {
            var attempt = _attempts.AddOrUpdate(e.Envelope.EventId, 1, (_, n) => n + 1);
            if (Failure(e, attempt) is { } failure)
            {
                throw failure;
            }
        }

        Calls.Enqueue(eventsOfOneKey);
        foreach (var e in eventsOfOneKey)
        {
            Traces.Enqueue((e.Envelope.EventId, Activity.Current?.TraceId ?? default));
            _waiters.GetOrAdd(e.Envelope.EventId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(e);
        }
    }
}
