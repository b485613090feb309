using System.Collections.Concurrent;
using RetentionPlatform.Notifications.Links;

namespace RetentionPlatform.Notifications.Tests.Links;

/// <summary>Records what the link pages asked for; can be told to fail or to refuse a cancellation.</summary>
internal sealed class RecordingLinkActions : ILinkActions
{
    private readonly ConcurrentQueue<RecordedLinkCall> _calls = new();

    public IReadOnlyList<RecordedLinkCall> Calls => [.. _calls];

    public Exception? Failure { get; set; }

    public string? CancelRefusal { get; set; }

    public Task<string> RequestHumanAsync(LinkClaims link, string? reason, CancellationToken cancellationToken)
    {
        Record(new RecordedLinkCall(nameof(RequestHumanAsync), link, Reason: reason));
        return Task.FromResult("case-1");
    }

    public Task UnsubscribeAsync(LinkClaims link, CancellationToken cancellationToken)
    {
        Record(new RecordedLinkCall(nameof(UnsubscribeAsync), link));
        return Task.CompletedTask;
    }

    public Task RecordClickAsync(LinkClaims link, CancellationToken cancellationToken)
    {
        Record(new RecordedLinkCall(nameof(RecordClickAsync), link));
        return Task.CompletedTask;
    }

    public Task RecordOpenAsync(LinkClaims link, CancellationToken cancellationToken)
    {
        Record(new RecordedLinkCall(nameof(RecordOpenAsync), link));
        return Task.CompletedTask;
    }

    public Task SubmitFeedbackAsync(LinkClaims link, int score, string? comment, CancellationToken cancellationToken)
    {
        Record(new RecordedLinkCall(nameof(SubmitFeedbackAsync), link, Score: score, Comment: comment));
        return Task.CompletedTask;
    }

    public Task<string?> CancelAppointmentAsync(LinkClaims link, CancellationToken cancellationToken)
    {
        Record(new RecordedLinkCall(nameof(CancelAppointmentAsync), link));
        return Task.FromResult(CancelRefusal);
    }

    private void Record(RecordedLinkCall call)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        _calls.Enqueue(call);
    }
}
