using Grpc.Core;
using RetentionPlatform.Contracts.Profiles.V1;
using RetentionPlatform.Contracts.Scheduling.V1;
using RetentionPlatform.Notifications.Links;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Infrastructure;

/// <summary>
/// What the customer's clicks do. The human request goes to Profiles at once (the case must exist before the page says
/// so, and it pauses marketing automation immediately); everything else is written to the delivery log and reaches the
/// profile through <c>retention.message-events.v1</c> (an unsubscribe withdraws the consent of the link's channel and
/// purpose there). Repeats of one fact share an event id, so a second click on "unsubscribe" writes nothing new.
/// </summary>
public sealed class LinkActions(MessageStore messages, PlatformClients clients, PipelineSignals signals, TimeProvider time) : ILinkActions
{
    public async Task<string> RequestHumanAsync(LinkClaims link, string? reason, CancellationToken cancellationToken)
    {
        var text = string.IsNullOrWhiteSpace(reason) ? $"Asked for a person from a message ({link.MessageId})." : reason.Trim();
        var answer = await clients.Profiles.RequestHumanAsync(
            new RequestHumanRequest { CustomerId = link.CustomerId, Reason = text.Length > 500 ? text[..500] : text },
            clients.For(link.TenantId, cancellationToken));
        await LogAsync(link, "human_requested", $"human:{answer.CaseId}", new() { ["caseId"] = answer.CaseId }, cancellationToken);
        return answer.CaseId;
    }

    public Task UnsubscribeAsync(LinkClaims link, CancellationToken cancellationToken) =>
        LogAsync(link, "message_unsubscribed", "unsubscribed", new() { ["source"] = "unsubscribe" }, cancellationToken);

    public Task RecordClickAsync(LinkClaims link, CancellationToken cancellationToken) =>
        LogAsync(link, "message_clicked", $"clicked:{Guid.NewGuid():N}", new() { ["url"] = link.Target }, cancellationToken);

    public Task RecordOpenAsync(LinkClaims link, CancellationToken cancellationToken) =>
        LogAsync(link, "message_opened", $"opened:{Guid.NewGuid():N}", [], cancellationToken);

    public Task SubmitFeedbackAsync(LinkClaims link, int score, string? comment, CancellationToken cancellationToken) =>
        LogAsync(link, "feedback_submitted", "feedback", new() { ["score"] = score, ["maxScore"] = 5, ["text"] = comment, ["source"] = "message" }, cancellationToken);

    public async Task<string?> CancelAppointmentAsync(LinkClaims link, CancellationToken cancellationToken)
    {
        if (clients.Scheduling is null || string.IsNullOrEmpty(link.Target))
        {
            return "Online cancellation is not available; please contact the business.";
        }

        try
        {
            await clients.Scheduling.CancelAsync(
                new CancelRequest { BookingId = link.Target, By = Actor.Customer, Reason = "Cancelled from a reminder." },
                clients.For(link.TenantId, cancellationToken));
            return null;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.FailedPrecondition or StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            return e.StatusCode == StatusCode.NotFound
                ? "We could not find this appointment any more; please contact the business."
                : $"{e.Status.Detail} Please contact the business.";
        }
    }

    private async Task LogAsync(LinkClaims link, string type, string suffix, Dictionary<string, object?> properties, CancellationToken ct)
    {
        properties["messageId"] = link.MessageId;
        properties["channel"] = Names.Of(link.Channel);
        properties["purpose"] = Names.Of(link.Purpose);
        await messages.LogAsync(link.TenantId, link.MessageId, link.CustomerId, [new LogEvent(type, $"{link.MessageId}:{suffix}", properties, time.GetUtcNow())], ct);
        signals.Publish.Notify();
    }
}
