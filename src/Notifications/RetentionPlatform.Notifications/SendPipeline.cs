using System.Text.Json;
using Microsoft.Extensions.Options;
using RetentionPlatform.Contracts.Profiles.V1;
using RetentionPlatform.Notifications.Channels;
using RetentionPlatform.Notifications.Infrastructure;
using RetentionPlatform.Notifications.Links;
using RetentionPlatform.Notifications.Model;
using RetentionPlatform.Notifications.Templates;

namespace RetentionPlatform.Notifications;

/// <summary>
/// The two steps every message goes through, whichever door it came in by.
/// <list type="number">
/// <item><b>Decide and render</b> (<see cref="DecideAsync"/>): the live profile gives the address, then Profiles'
/// DecideContact is asked for the first channel of the preference that has an address and settings. Allow renders the
/// template and queues the message; Defer stores it until the moment Profiles named; Deny records the reason, and the
/// message is never sent.</item>
/// <item><b>Deliver</b> (<see cref="DeliverAsync"/>): the channel sends it. A transient failure is retried with
/// backoff, and before every retry the contact decision is asked again (a customer who unsubscribed or asked for a
/// person in between is not written to); a permanent failure or a bounce ends it.</item>
/// </list>
/// Each step returns the message's new state with its delivery-log events; <see cref="MessageDispatcher"/> writes them.
/// </summary>
public sealed class SendPipeline(
    PlatformClients clients,
    SettingsStore settingsStore,
    TemplateRenderer renderer,
    ChannelRegistry channels,
    LinkSigner links,
    IOptions<NotificationsOptions> options,
    TimeProvider time)
{
    /// <summary>How many recommended items a template is given.</summary>
    public const int RecommendationsShown = 3;

    /// <summary>The template renderer (shared with the preview).</summary>
    public TemplateRenderer Renderer => renderer;

    /// <summary>Step 1: asks the contact decision and renders; returns the message's new state.</summary>
    public async Task<MessageUpdate> DecideAsync(Message message, CancellationToken ct)
    {
        var settings = await settingsStore.GetSettingsAsync(message.TenantId, ct) ?? ChannelSettings.Empty;
        var profile = await clients.GetProfileAsync(message.TenantId, message.CustomerId, ct);
        if (profile is null)
        {
            return Denied(message, "unknown_customer", "Profiles knows nothing about this customer (or the customer was erased).");
        }

        var template = await FindTemplateAsync(message, profile, settings, ct);
        if (template is null)
        {
            return Failed(message, "unknown_template", $"The tenant has no template '{message.TemplateId}' and there is no built-in one.", bounced: false);
        }

        (string Reason, string Detail)? denied = null;
        ContactDecision? deferred = null;
        foreach (var channel in message.Channels)
        {
            if (!IsConfigured(channel, settings))
            {
                denied ??= ("channel_not_configured", $"The business has not set up {Names.Of(channel)}.");
                continue;
            }

            if (AddressOf(channel, profile) is not { } address)
            {
                denied ??= ("no_address", $"The profile has no {Names.Of(channel)} address.");
                continue;
            }

            var decision = await DecideContactAsync(message, channel, ct);
            switch (decision.Outcome)
            {
                case ContactOutcome.Allow:
                    return Render(message, channel, address, profile, template, settings, await RecommendationsForAsync(message, template, ct));
                case ContactOutcome.Defer:
                    if (deferred is null || decision.DeferUntil.ToDateTimeOffset() < deferred.DeferUntil.ToDateTimeOffset())
                    {
                        deferred = decision;
                    }

                    break;
                default:
                    denied ??= (decision.Reason, decision.Detail);
                    break;
            }
        }

        if (deferred is not null)
        {
            return Deferred(message, deferred);
        }

        var (reason, detail) = denied ?? ("no_channel", "The request named no channel.");
        return Denied(message, reason, detail);
    }

    /// <summary>Step 2: delivers a queued message on its channel; returns its new state.</summary>
    public async Task<MessageUpdate> DeliverAsync(Message message, CancellationToken ct)
    {
        var channel = message.Channel ?? NotificationChannel.Email;
        if (message.Attempts > 0)
        {
            // A retry may come hours later: the customer's context is asked again, without spending budget twice.
            var decision = await DecideContactAsync(message, channel, ct);
            if (decision.Outcome == ContactOutcome.Deny)
            {
                return Denied(message, decision.Reason, decision.Detail);
            }

            if (decision.Outcome == ContactOutcome.Defer)
            {
                return Deferred(message, decision);
            }
        }

        var settings = await settingsStore.GetSettingsAsync(message.TenantId, ct) ?? ChannelSettings.Empty;
        var outgoing = new OutgoingMessage(
            message.TenantId, message.MessageId, message.CustomerId, channel, message.Purpose, message.Address ?? "", message.RecipientName,
            message.Subject ?? "", message.Html, message.Text ?? "",
            LinkFor(LinkAction.Human, message, channel, null), LinkFor(LinkAction.Unsubscribe, message, channel, null),
            message.TemplateId, message.RenderedLocale ?? "en");
        DeliveryResult result;
        try
        {
            result = await channels.Get(channel).SendAsync(outgoing, settings, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            result = DeliveryResult.Transient($"The {Names.Of(channel)} channel failed: {e.GetType().Name}.");
        }

        var attempts = message.Attempts + 1;
        var now = time.GetUtcNow();
        var common = new Dictionary<string, object?>
        {
            ["channel"] = Names.Of(channel),
            ["purpose"] = Names.Of(message.Purpose),
            ["kind"] = message.Kind,
            ["templateId"] = message.TemplateId,
            ["attempt"] = attempts,
        };
        switch (result.Outcome)
        {
            case DeliveryOutcome.Sent:
                common["providerId"] = result.ProviderMessageId;
                return Update(message, MessageStatus.Sent, now, null, null, attempts, null, result.ProviderMessageId ?? "", Event(message, "message_sent", "sent", common));
            case DeliveryOutcome.Transient when attempts < options.Value.MaxAttempts:
                var retryAt = now + Backoff(attempts);
                common["error"] = result.Error;
                common["retryAt"] = retryAt;
                return Update(message, MessageStatus.Queued, retryAt, "transient_failure", result.Error, attempts, null, null,
                    Event(message, "message_retrying", $"retrying:{attempts}", common));
            default:
                common["error"] = result.Error;
                common["permanent"] = true;
                return result.Bounced
                    ? Update(message, MessageStatus.Failed, now, "bounced", result.Error, attempts, null, null, Event(message, "message_bounced", "bounced", common))
                    : Update(message, MessageStatus.Failed, now, result.Outcome == DeliveryOutcome.Transient ? "retries_exhausted" : "permanent_failure", result.Error, attempts, null, null,
                        Event(message, "message_failed", "failed", common));
        }
    }

    /// <summary>Asks Profiles whether the message may go out now on <paramref name="channel"/>, under its own message id.</summary>
    private Task<ContactDecision> DecideContactAsync(Message message, NotificationChannel channel, CancellationToken ct) =>
        clients.Profiles.DecideContactAsync(
            new DecideContactRequest
            {
                CustomerId = message.CustomerId,
                Channel = ToContract(channel),
                Purpose = ToContract(message.Purpose),
                Kind = message.Kind,
                MessageId = message.MessageId.ToString(),
            },
            clients.For(message.TenantId, ct)).ResponseAsync;

    /// <summary>The delay before retry number <paramref name="attempt"/>: doubling from the base, capped, with jitter so retries of one outage spread out.</summary>
    public TimeSpan Backoff(int attempt)
    {
        var baseDelay = options.Value.RetryBaseDelay;
        var delay = TimeSpan.FromTicks(Math.Min(options.Value.RetryMaxDelay.Ticks, baseDelay.Ticks * (1L << Math.Min(attempt - 1, 20))));
        return delay + TimeSpan.FromTicks((long)(delay.Ticks * 0.2 * Random.Shared.NextDouble()));
    }

    /// <summary>The template to render: the tenant's own in the best locale, else the built-in one.</summary>
    public async Task<MessageTemplate?> FindTemplateAsync(Message message, CustomerProfile? profile, ChannelSettings settings, CancellationToken ct)
    {
        var requested = message.Locale ?? (string.IsNullOrEmpty(profile?.Locale) ? null : profile.Locale);
        var own = await settingsStore.GetTemplateAsync(message.TenantId, message.TemplateId, ct);
        if (own.Count > 0)
        {
            var locale = LocaleFallback.Resolve(requested, own.Select(t => t.Locale).ToList(), settings.DefaultLocale);
            return own.FirstOrDefault(t => string.Equals(t.Locale, locale, StringComparison.OrdinalIgnoreCase)) ?? own[0];
        }

        return DefaultTemplates.Find(message.TemplateId, requested ?? settings.DefaultLocale);
    }

    /// <summary>The render context for a customer (also used by the preview).</summary>
    public RenderContext ContextFor(
        Message message, NotificationChannel channel, CustomerProfile profile, MessageTemplate template, ChannelSettings settings, IReadOnlyList<RecommendedItem> recommendations)
    {
        var data = message.DataJson is null ? default : JsonDocument.Parse(message.DataJson).RootElement.Clone();
        var appointmentId = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("appointmentId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        Uri? reschedule = null;
        if (appointmentId is not null && settings.BookingPageUrl is { } page)
        {
            reschedule = new Uri(page.ToString().Replace("{appointmentId}", Uri.EscapeDataString(appointmentId), StringComparison.Ordinal));
        }

        var messageLinks = new MessageLinks(
            LinkFor(LinkAction.Human, message, channel, null),
            LinkFor(LinkAction.Unsubscribe, message, channel, null),
            LinkFor(LinkAction.Feedback, message, channel, null),
            reschedule,
            appointmentId is not null && clients.Scheduling is not null ? LinkFor(LinkAction.Cancel, message, channel, appointmentId) : null,
            target => LinkFor(LinkAction.Click, message, channel, target.ToString()));
        var identity = profile.Identity;
        return new RenderContext(
            new CustomerFacts(message.CustomerId, Blank(identity?.FirstName), Blank(identity?.LastName), Blank(identity?.Email), Blank(identity?.Phone)),
            settings.BusinessName,
            template.Locale,
            string.IsNullOrEmpty(profile.TimeZone) ? options.Value.DefaultTimeZone : profile.TimeZone,
            profile.Appointments?.NextAppointmentAt?.ToDateTimeOffset(),
            recommendations,
            profile.Engagement?.CartItems ?? 0,
            string.IsNullOrEmpty(profile.Engagement?.CartValue) || profile.Engagement.CartItems == 0 ? null : profile.Engagement.CartValue,
            data,
            messageLinks);
    }

    /// <summary>Recommendations for the customer, asked for only when the template shows them.</summary>
    public Task<IReadOnlyList<RecommendedItem>> RecommendationsForAsync(Message message, MessageTemplate template, CancellationToken ct) =>
        UsesRecommendations(template)
            ? clients.RecommendAsync(message.TenantId, message.CustomerId, RecommendationsShown, ct)
            : Task.FromResult<IReadOnlyList<RecommendedItem>>([]);

    private static bool UsesRecommendations(MessageTemplate template) =>
        template.Subject.Contains("recommendations", StringComparison.Ordinal)
        || template.Text.Contains("recommendations", StringComparison.Ordinal)
        || (template.Html?.Contains("recommendations", StringComparison.Ordinal) ?? false);

    private MessageUpdate Render(
        Message message, NotificationChannel channel, string address, CustomerProfile profile, MessageTemplate template, ChannelSettings settings, IReadOnlyList<RecommendedItem> recommendations)
    {
        RenderedMessage content;
        try
        {
            content = renderer.Render(template, ContextFor(message, channel, profile, template, settings, recommendations));
        }
        catch (TemplateRenderException e)
        {
            return Failed(message, "template_error", e.Message, bounced: false);
        }

        if (channel != NotificationChannel.Email)
        {
            content = content with { Html = null };
        }
        else if (settings.OpenTracking && content.Html is { } html)
        {
            var pixel = $"<img src=\"{LinkFor(LinkAction.Open, message, channel, null)}\" width=\"1\" height=\"1\" alt=\"\">";
            content = content with { Html = html + pixel };
        }

        var name = string.Join(' ', new[] { profile.Identity?.FirstName, profile.Identity?.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
        return Update(message, MessageStatus.Queued, time.GetUtcNow(), "allowed", null, message.Attempts,
            new RenderedFor(channel, address, name.Length == 0 ? null : name, content, template.Locale), null);
    }

    private Uri LinkFor(LinkAction action, Message message, NotificationChannel channel, string? target) =>
        links.CreateUrl(options.Value.PublicBaseUrl, new LinkClaims(action, message.TenantId, message.MessageId, message.CustomerId, channel, message.Purpose, target, time.GetUtcNow()));

    private MessageUpdate Denied(Message message, string reason, string detail) =>
        Update(message, MessageStatus.Denied, time.GetUtcNow(), reason, detail, message.Attempts, null, null,
            Event(message, "message_denied", "denied", new() { ["reason"] = reason, ["detail"] = detail, ["purpose"] = Names.Of(message.Purpose), ["kind"] = message.Kind }));

    private MessageUpdate Deferred(Message message, ContactDecision decision)
    {
        var until = decision.DeferUntil.ToDateTimeOffset();
        return Update(message, MessageStatus.Deferred, until, decision.Reason, decision.Detail, message.Attempts, null, null,
            Event(message, "message_deferred", $"deferred:{until.ToUnixTimeSeconds()}", new() { ["reason"] = decision.Reason, ["detail"] = decision.Detail, ["deferUntil"] = until }));
    }

    private MessageUpdate Failed(Message message, string reason, string detail, bool bounced) =>
        Update(message, MessageStatus.Failed, time.GetUtcNow(), reason, detail, message.Attempts, null, null,
            Event(message, bounced ? "message_bounced" : "message_failed", "failed", new() { ["reason"] = reason, ["error"] = detail }));

    private static MessageUpdate Update(Message message, MessageStatus status, DateTimeOffset due, string? reason, string? detail, int attempts, RenderedFor? rendered, string? providerId, params LogEvent[] events) =>
        new(message, status, due, reason, detail, attempts, rendered, providerId, events);

    private LogEvent Event(Message message, string type, string suffix, Dictionary<string, object?> properties)
    {
        properties["messageId"] = message.MessageId;
        properties.TryAdd("templateId", message.TemplateId);
        return new LogEvent(type, $"{message.MessageId}:{suffix}", properties, time.GetUtcNow());
    }

    private static bool IsConfigured(NotificationChannel channel, ChannelSettings settings) => channel switch
    {
        NotificationChannel.Email => settings.Email is not null,
        NotificationChannel.Sms => settings.Sms is not null,
        NotificationChannel.Push => settings.Push is not null,
        _ => settings.Webhook is not null,
    };

    private static string? AddressOf(NotificationChannel channel, CustomerProfile profile) => channel switch
    {
        NotificationChannel.Email => Blank(profile.Identity?.Email),
        NotificationChannel.Sms => Blank(profile.Identity?.Phone),
        _ => profile.CustomerId,
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    public static ContactChannel ToContract(NotificationChannel channel) => channel switch
    {
        NotificationChannel.Email => ContactChannel.Email,
        NotificationChannel.Sms => ContactChannel.Sms,
        NotificationChannel.Push => ContactChannel.Push,
        _ => ContactChannel.Webhook,
    };

    public static ContactPurpose ToContract(NotificationPurpose purpose) => purpose switch
    {
        NotificationPurpose.Transactional => ContactPurpose.Transactional,
        NotificationPurpose.Service => ContactPurpose.Service,
        _ => ContactPurpose.Marketing,
    };
}
