using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RetentionPlatform.Notifications.Infrastructure;
using RetentionPlatform.Notifications.Model;
using RetentionPlatform.Notifications.Templates;
using RetentionPlatform.Tenancy;
using V1 = RetentionPlatform.Contracts.Notifications.V1;

namespace RetentionPlatform.Notifications.Grpc;

/// <summary>
/// <c>retention.notifications.v1.Notifications</c>: the same use cases as the REST API, through <see cref="Notifier"/>.
/// Bad input is INVALID_ARGUMENT with a BadRequest violation per problem (snake_case field names); an unknown message,
/// template or customer is NOT_FOUND; an idempotency key reused for a different request is ALREADY_EXISTS.
/// </summary>
public sealed class NotificationsGrpcService(Notifier notifier, MessageStore store) : V1.Notifications.NotificationsBase
{
    public override async Task<V1.MessageStatus> Send(V1.SendRequest request, ServerCallContext context)
    {
        var tenantId = context.GetTenantId();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var channels = new List<NotificationChannel>();
        foreach (var channel in request.Channels)
        {
            if (FromContract(channel) is { } parsed)
            {
                channels.Add(parsed);
            }
            else
            {
                errors["channels"] = ["Every channel must be set: CHANNEL_EMAIL, CHANNEL_SMS, CHANNEL_PUSH or CHANNEL_WEBHOOK."];
            }
        }

        var purpose = FromContract(request.Purpose);
        if (purpose is null)
        {
            errors["purpose"] = ["The purpose is required: PURPOSE_TRANSACTIONAL, PURPOSE_SERVICE or PURPOSE_MARKETING."];
        }

        var data = ParseData(request.DataJson, errors);
        DateTimeOffset? sendAt = request.SendAt is { } at ? ToTime(at, "send_at", errors) : null;
        var notificationRequest = new NotificationRequest(
            request.CustomerId, request.TemplateId, channels.Count == 0 && !errors.ContainsKey("channels") ? [NotificationChannel.Email] : channels,
            purpose ?? NotificationPurpose.Marketing, request.IdempotencyKey, string.IsNullOrEmpty(request.Kind) ? $"template:{request.TemplateId}" : request.Kind,
            string.IsNullOrEmpty(request.Locale) ? null : request.Locale, data, sendAt, "grpc");
        foreach (var (field, messages) in await notifier.ValidateAsync(tenantId, notificationRequest, SnakeCase, context.CancellationToken))
        {
            errors.TryAdd(field, messages);
        }

        if (errors.Count > 0)
        {
            throw TenantGrpcExtensions.InvalidArgument(errors);
        }

        var outcome = await notifier.SubmitAsync(tenantId, notificationRequest, context.CancellationToken);
        if (outcome.Conflict is { } conflict)
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists, conflict));
        }

        var status = ToMessage(outcome.Message);
        status.Replayed = !outcome.Created;
        return status;
    }

    public override async Task<V1.MessageStatus> GetMessage(V1.GetMessageRequest request, ServerCallContext context)
    {
        var tenantId = context.GetTenantId();
        if (!Guid.TryParse(request.MessageId, out var id))
        {
            throw TenantGrpcExtensions.InvalidArgument("message_id", "The message id is a UUID.");
        }

        var message = await store.FindAsync(tenantId, id, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"There is no message '{request.MessageId}'."));
        var status = ToMessage(message);
        foreach (var entry in await store.LogOfAsync(tenantId, id, context.CancellationToken))
        {
            status.Log.Add(new V1.LogEntry { EventType = entry.EventType, At = Timestamp.FromDateTimeOffset(entry.OccurredAt), PropertiesJson = entry.PropertiesJson });
        }

        return status;
    }

    public override async Task<V1.PreviewResponse> Preview(V1.PreviewRequest request, ServerCallContext context)
    {
        var tenantId = context.GetTenantId();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (Notifier.TemplateIdProblem(request.TemplateId) is { } templateProblem)
        {
            errors["template_id"] = [templateProblem];
        }

        if (request.Locale.Length > 0 && Notifier.LocaleProblem(request.Locale) is { } localeProblem)
        {
            errors["locale"] = [localeProblem];
        }

        if (request.CustomerId.Length > 0 && CustomerId.Validate(request.CustomerId) is { } customerProblem)
        {
            errors["customer_id"] = [customerProblem];
        }

        var data = ParseData(request.DataJson, errors);
        if (errors.Count > 0)
        {
            throw TenantGrpcExtensions.InvalidArgument(errors);
        }

        try
        {
            var (rendered, locale, notFound) = await notifier.PreviewAsync(
                tenantId, request.TemplateId, request.Locale.Length == 0 ? null : request.Locale, request.CustomerId.Length == 0 ? null : request.CustomerId,
                data, FromContract(request.Channel) ?? NotificationChannel.Email, context.CancellationToken);
            return rendered is null
                ? throw new RpcException(new Status(StatusCode.NotFound, notFound ?? "Not found."))
                : new V1.PreviewResponse { Subject = rendered.Subject, Html = rendered.Html ?? "", Text = rendered.Text, Locale = locale ?? "" };
        }
        catch (TemplateRenderException e)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, e.Message));
        }
    }

    private static JsonElement ParseData(string json, Dictionary<string, string[]> errors)
    {
        if (json.Length == 0)
        {
            return default;
        }

        if (json.Length > Notifier.MaxDataBytes)
        {
            errors["data_json"] = [$"The data is larger than {Notifier.MaxDataBytes / 1024} KiB."];
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (Notifier.DataProblem(document.RootElement) is { } problem)
            {
                errors["data_json"] = [problem];
                return default;
            }

            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            errors["data_json"] = ["The data is not valid JSON."];
            return default;
        }
    }

    private static DateTimeOffset? ToTime(Timestamp timestamp, string field, Dictionary<string, string[]> errors)
    {
        try
        {
            return timestamp.ToDateTimeOffset();
        }
        catch (InvalidOperationException)
        {
            errors[field] = ["The time is out of range."];
            return null;
        }
    }

    private static V1.MessageStatus ToMessage(Message m) => new()
    {
        MessageId = m.MessageId.ToString(),
        Status = Names.Of(m.Status),
        Reason = m.Reason ?? "",
        Detail = m.Detail ?? "",
        Channel = m.Channel is { } c ? ToContract(c) : V1.Channel.Unspecified,
        CustomerId = m.CustomerId,
        TemplateId = m.TemplateId,
        DueAt = Timestamp.FromDateTimeOffset(m.DueAt),
        SentAt = m.SentAt is { } sent ? Timestamp.FromDateTimeOffset(sent) : null,
        Attempts = m.Attempts,
    };

    private static string SnakeCase(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name) switch
    {
        "data" => "data_json",
        var other => other,
    };

    private static NotificationChannel? FromContract(V1.Channel channel) => channel switch
    {
        V1.Channel.Email => NotificationChannel.Email,
        V1.Channel.Sms => NotificationChannel.Sms,
        V1.Channel.Push => NotificationChannel.Push,
        V1.Channel.Webhook => NotificationChannel.Webhook,
        _ => null,
    };

    private static NotificationPurpose? FromContract(V1.Purpose purpose) => purpose switch
    {
        V1.Purpose.Transactional => NotificationPurpose.Transactional,
        V1.Purpose.Service => NotificationPurpose.Service,
        V1.Purpose.Marketing => NotificationPurpose.Marketing,
        _ => null,
    };

    private static V1.Channel ToContract(NotificationChannel channel) => channel switch
    {
        NotificationChannel.Email => V1.Channel.Email,
        NotificationChannel.Sms => V1.Channel.Sms,
        NotificationChannel.Push => V1.Channel.Push,
        _ => V1.Channel.Webhook,
    };
}
