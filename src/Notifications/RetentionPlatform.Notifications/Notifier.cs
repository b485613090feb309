using System.Text.Json;
using System.Text.RegularExpressions;
using RetentionPlatform.Contracts.Profiles.V1;
using RetentionPlatform.Notifications.Infrastructure;
using RetentionPlatform.Notifications.Model;
using RetentionPlatform.Notifications.Templates;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Notifications;

/// <summary>
/// The use cases every door shares (REST, gRPC, the requests topic, appointment automation): accepting a message,
/// previewing a template, and recording what a receiving side reports about a delivery. Validation names fields in
/// the caller's convention through <c>name</c> (camelCase for REST, snake_case for gRPC).
/// </summary>
public sealed partial class Notifier(MessageStore messages, SettingsStore settings, SendPipeline pipeline, PlatformClients clients, PipelineSignals signals, TimeProvider time)
{
    /// <summary>The largest request data accepted (bytes of JSON).</summary>
    public const int MaxDataBytes = 32 * 1024;

    /// <summary>How far ahead a message may be scheduled.</summary>
    public static readonly TimeSpan MaxScheduleAhead = TimeSpan.FromDays(366);

    /// <summary>Checks a request; returns field errors (empty when it is valid).</summary>
    public async Task<Dictionary<string, string[]>> ValidateAsync(string tenantId, NotificationRequest request, Func<string, string> name, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (CustomerId.Validate(request.CustomerId) is { } customerProblem)
        {
            errors[name("customerId")] = [customerProblem];
        }

        if (TemplateIdProblem(request.TemplateId) is { } templateProblem)
        {
            errors[name("templateId")] = [templateProblem];
        }
        else if ((await settings.GetTemplateAsync(tenantId, request.TemplateId, ct)).Count == 0 && DefaultTemplates.Find(request.TemplateId, "en") is null)
        {
            errors[name("templateId")] = [$"There is no template '{request.TemplateId}'. Create it with PUT /v1/notifications/templates/{request.TemplateId}/{{locale}}, or use a built-in one: {string.Join(", ", DefaultTemplates.Ids)}."];
        }

        if (request.Channels.Count is 0 or > 4 || request.Channels.Distinct().Count() != request.Channels.Count)
        {
            errors[name("channels")] = ["Name 1-4 distinct channels in order of preference: email, sms, push, webhook."];
        }

        if (string.IsNullOrWhiteSpace(request.IdempotencyKey) || request.IdempotencyKey.Length > 128 || request.IdempotencyKey.Any(char.IsControl))
        {
            errors[name("idempotencyKey")] = ["An idempotency key of 1-128 characters is required: the same key is the same message, so a retry never sends twice."];
        }

        if (string.IsNullOrWhiteSpace(request.Kind) || request.Kind.Length > 128 || request.Kind.Any(char.IsControl))
        {
            errors[name("kind")] = ["The kind is 1-128 characters naming who asks (a journey or campaign)."];
        }

        if (request.Locale is not null && LocaleProblem(request.Locale) is { } localeProblem)
        {
            errors[name("locale")] = [localeProblem];
        }

        if (DataProblem(request.Data) is { } dataProblem)
        {
            errors[name("data")] = [dataProblem];
        }

        if (request.SendAt is { } sendAt && sendAt > time.GetUtcNow() + MaxScheduleAhead)
        {
            errors[name("sendAt")] = ["A message can be scheduled at most a year ahead."];
        }

        return errors;
    }

    /// <summary>
    /// Accepts a valid request (see <see cref="ValidateAsync"/>): stores it and wakes the pipeline. A repeated key
    /// returns the earlier message (<c>Created</c> false); a repeated key with a different request is a conflict.
    /// </summary>
    public async Task<SubmitOutcome> SubmitAsync(string tenantId, NotificationRequest request, CancellationToken ct)
    {
        var (message, created) = await messages.AcceptAsync(tenantId, request, time.GetUtcNow(), ct);
        if (created)
        {
            signals.Decide.Notify();
            signals.Publish.Notify();
            return new SubmitOutcome(message, Created: true, Conflict: null);
        }

        var same = message.CustomerId == request.CustomerId && message.TemplateId == request.TemplateId && message.Purpose == request.Purpose
            && message.Channels.SequenceEqual(request.Channels);
        return same
            ? new SubmitOutcome(message, Created: false, Conflict: null)
            : new SubmitOutcome(message, Created: false, Conflict: $"The idempotency key '{request.IdempotencyKey}' was used for another message ({message.MessageId}) with a different customer, template, purpose or channels.");
    }

    /// <summary>
    /// Renders a template for a customer, or for a sample customer when <paramref name="customerId"/> is null.
    /// Returns null with a reason when the template or customer is unknown.
    /// </summary>
    public async Task<(RenderedMessage? Rendered, string? Locale, string? NotFound)> PreviewAsync(
        string tenantId, string templateId, string? locale, string? customerId, JsonElement data, NotificationChannel channel, CancellationToken ct)
    {
        var tenantSettings = await settings.GetSettingsAsync(tenantId, ct) ?? ChannelSettings.Empty;
        CustomerProfile profile;
        if (customerId is null)
        {
            profile = SampleCustomer();
        }
        else
        {
            var found = await clients.GetProfileAsync(tenantId, customerId, ct);
            if (found is null)
            {
                return (null, null, $"There is no customer '{customerId}'.");
            }

            profile = found;
        }

        var preview = new Message(
            tenantId, Guid.Empty, "preview", profile.CustomerId, templateId, locale, [channel], NotificationPurpose.Service, "preview",
            data.ValueKind == JsonValueKind.Object ? data.GetRawText() : null, "preview", MessageStatus.Pending, channel, null, null, 0,
            time.GetUtcNow(), null, null, null, null, null, null, null, time.GetUtcNow(), time.GetUtcNow(), null);
        var template = await pipeline.FindTemplateAsync(preview, profile, tenantSettings, ct);
        if (template is null)
        {
            return (null, null, $"There is no template '{templateId}'.");
        }

        var context = pipeline.ContextFor(preview, channel, profile, template, tenantSettings, await pipeline.RecommendationsForAsync(preview, template, ct));
        var rendered = pipeline.Renderer.Render(template, context);
        return (channel == NotificationChannel.Email ? rendered : rendered with { Html = null }, template.Locale, null);
    }

    /// <summary>Records what a receiving side reported about a sent message (delivered, or bounced later).</summary>
    public async Task<bool> ReportAsync(string tenantId, Guid messageId, bool delivered, string? detail, CancellationToken ct)
    {
        var message = await messages.FindAsync(tenantId, messageId, ct);
        if (message is null)
        {
            return false;
        }

        var type = delivered ? "message_delivered" : "message_bounced";
        var properties = new Dictionary<string, object?>
        {
            ["messageId"] = messageId,
            ["channel"] = Names.Of(message.Channel ?? NotificationChannel.Email),
            ["purpose"] = Names.Of(message.Purpose),
            ["detail"] = detail,
            ["permanent"] = delivered ? null : true,
        };
        await messages.LogAsync(tenantId, messageId, message.CustomerId, [new LogEvent(type, $"{messageId}:{(delivered ? "delivered" : "bounced")}", properties, time.GetUtcNow())], ct);
        signals.Publish.Notify();
        return true;
    }

    public static bool IsTemplateId(string? id) => id is not null && TemplateIdPattern().IsMatch(id);

    /// <summary>Why <paramref name="id"/> cannot be a template id; null when it can. Every door uses the same words.</summary>
    public static string? TemplateIdProblem(string? id) =>
        IsTemplateId(id) ? null : "A template id is 1-64 characters of a-z, 0-9, '-', '_' and '.', starting with a letter or digit.";

    /// <summary>Why <paramref name="locale"/> is not a locale; null when it is.</summary>
    public static string? LocaleProblem(string locale) =>
        LocaleFallback.IsValidLocale(locale) ? null : $"'{locale}' is not a BCP 47 locale such as en or de-DE.";

    /// <summary>
    /// Why request data (for a send or a preview) cannot be used; null when it is absent or a storable JSON object of at
    /// most <see cref="MaxDataBytes"/>.
    /// </summary>
    public static string? DataProblem(JsonElement data) => data.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        not JsonValueKind.Object => "The data must be a JSON object.",
        _ when data.GetRawText().Length > MaxDataBytes => $"The data is larger than {MaxDataBytes / 1024} KiB.",
        _ => StorableJson.Problem(data),
    };

    private static CustomerProfile SampleCustomer() => new()
    {
        CustomerId = "sample-customer",
        Identity = new CustomerIdentity { FirstName = "Alex", LastName = "Sample", Email = "alex@example.com", Phone = "+15555550100" },
        Engagement = new EngagementStats { CartItems = 2, CartValue = "59.90" },
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex TemplateIdPattern();
}
