using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Templates;

/// <summary>
/// The built-in templates used when a tenant has not authored its own, in English and German. They leave out the
/// human and unsubscribe links on purpose: the renderer's footer adds them in the message's language.
/// </summary>
public static class DefaultTemplates
{
    /// <summary>The reminder before an appointment (data: <c>localStartsAt</c>, optionally <c>serviceName</c>).</summary>
    public const string AppointmentReminder = "appointment_reminder";

    /// <summary>The request for feedback after an appointment (links to <c>links.feedback</c>).</summary>
    public const string AppointmentFeedback = "appointment_feedback";

    private static readonly DateTimeOffset Published = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly MessageTemplate[] All =
    [
        new(
            AppointmentReminder,
            "en",
            "Reminder: your appointment at {{business.name}}",
            """
            <p>{{#if customer.firstName}}Hi {{customer.firstName}},{{else}}Hello,{{/if}}</p>
            <p>This is a reminder of your {{#if data.serviceName}}<strong>{{data.serviceName}}</strong> {{/if}}appointment at {{business.name}} on <strong>{{formatDate data.localStartsAt}}</strong>.</p>
            {{#if links.reschedule}}<p>Need a different time? <a href="{{track links.reschedule}}">Reschedule</a></p>{{/if}}
            {{#if links.cancel}}<p>Can't make it? <a href="{{links.cancel}}">Cancel the appointment</a></p>{{/if}}
            <p>See you soon,<br>{{business.name}}</p>
            """,
            """
            {{#if customer.firstName}}Hi {{customer.firstName}},{{else}}Hello,{{/if}}

            This is a reminder of your {{#if data.serviceName}}{{data.serviceName}} {{/if}}appointment at {{business.name}} on {{formatDate data.localStartsAt}}.
            {{#if links.reschedule}}
            Need a different time? Reschedule: {{track links.reschedule}}
            {{/if}}
            {{#if links.cancel}}
            Can't make it? Cancel the appointment: {{links.cancel}}
            {{/if}}

            See you soon,
            {{business.name}}
            """,
            Published),
        new(
            AppointmentReminder,
            "de",
            "Erinnerung: Ihr Termin bei {{business.name}}",
            """
            <p>{{#if customer.firstName}}Hallo {{customer.firstName}},{{else}}Guten Tag,{{/if}}</p>
            <p>wir erinnern Sie an Ihren Termin{{#if data.serviceName}} (<strong>{{data.serviceName}}</strong>){{/if}} bei {{business.name}} am <strong>{{formatDate data.localStartsAt}}</strong>.</p>
            {{#if links.reschedule}}<p>Passt die Zeit nicht? <a href="{{track links.reschedule}}">Termin verschieben</a></p>{{/if}}
            {{#if links.cancel}}<p>Sie können nicht kommen? <a href="{{links.cancel}}">Termin absagen</a></p>{{/if}}
            <p>Bis bald,<br>{{business.name}}</p>
            """,
            """
            {{#if customer.firstName}}Hallo {{customer.firstName}},{{else}}Guten Tag,{{/if}}

            wir erinnern Sie an Ihren Termin{{#if data.serviceName}} ({{data.serviceName}}){{/if}} bei {{business.name}} am {{formatDate data.localStartsAt}}.
            {{#if links.reschedule}}
            Passt die Zeit nicht? Termin verschieben: {{track links.reschedule}}
            {{/if}}
            {{#if links.cancel}}
            Sie können nicht kommen? Termin absagen: {{links.cancel}}
            {{/if}}

            Bis bald,
            {{business.name}}
            """,
            Published),
        new(
            AppointmentFeedback,
            "en",
            "How was your visit to {{business.name}}?",
            """
            <p>{{#if customer.firstName}}Hi {{customer.firstName}},{{else}}Hello,{{/if}}</p>
            <p>Thank you for visiting {{business.name}}{{#if data.serviceName}} for your {{data.serviceName}}{{/if}}. How was it?</p>
            {{#if links.feedback}}<p><a href="{{links.feedback}}">Tell us in one minute</a></p>{{/if}}
            <p>Thank you,<br>{{business.name}}</p>
            """,
            """
            {{#if customer.firstName}}Hi {{customer.firstName}},{{else}}Hello,{{/if}}

            Thank you for visiting {{business.name}}{{#if data.serviceName}} for your {{data.serviceName}}{{/if}}. How was it?
            {{#if links.feedback}}
            Tell us in one minute: {{links.feedback}}
            {{/if}}

            Thank you,
            {{business.name}}
            """,
            Published),
        new(
            AppointmentFeedback,
            "de",
            "Wie war Ihr Besuch bei {{business.name}}?",
            """
            <p>{{#if customer.firstName}}Hallo {{customer.firstName}},{{else}}Guten Tag,{{/if}}</p>
            <p>vielen Dank für Ihren Besuch bei {{business.name}}{{#if data.serviceName}} ({{data.serviceName}}){{/if}}. Wie war es?</p>
            {{#if links.feedback}}<p><a href="{{links.feedback}}">Sagen Sie es uns – es dauert nur eine Minute</a></p>{{/if}}
            <p>Vielen Dank,<br>{{business.name}}</p>
            """,
            """
            {{#if customer.firstName}}Hallo {{customer.firstName}},{{else}}Guten Tag,{{/if}}

            vielen Dank für Ihren Besuch bei {{business.name}}{{#if data.serviceName}} ({{data.serviceName}}){{/if}}. Wie war es?
            {{#if links.feedback}}
            Sagen Sie es uns – es dauert nur eine Minute: {{links.feedback}}
            {{/if}}

            Vielen Dank,
            {{business.name}}
            """,
            Published),
    ];

    /// <summary>The ids of the built-in templates.</summary>
    public static IReadOnlyList<string> Ids { get; } = [AppointmentReminder, AppointmentFeedback];

    /// <summary>
    /// The built-in template for an id in the best locale: exact, then the same language, then English.
    /// Null for an id that has no built-in template.
    /// </summary>
    public static MessageTemplate? Find(string templateId, string? locale)
    {
        var candidates = All.Where(t => string.Equals(t.TemplateId, templateId, StringComparison.Ordinal)).ToList();
        var chosen = LocaleFallback.Resolve(locale, candidates.Select(t => t.Locale).ToList(), "en");
        return chosen is null ? null : candidates.First(t => t.Locale == chosen);
    }
}
