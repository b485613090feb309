using MimeKit;
using RetentionPlatform.Notifications.Infrastructure;
using RetentionPlatform.Notifications.Model;
using RetentionPlatform.Notifications.Templates;
using Microsoft.AspNetCore.Http.HttpResults;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Notifications.Apis;

/// <summary>
/// Notifications over REST (through the gateway under <c>/v1/notifications</c>): channel settings, templates and their
/// preview, sending, and the delivery log. Every error is a ProblemDetails naming the field: 400 for bad input (and an
/// unknown template in a send), 404 for an unknown message, template or customer, 409 for an idempotency key reused
/// with a different request.
/// </summary>
public static class NotificationsApi
{
    private const long MaxBodyBytes = 64 * 1024;
    private const long MaxTemplateBodyBytes = 400 * 1024;

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/notifications").RequireTenant().WithTags("Notifications")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes));
        group.MapGet("/settings", GetSettings);
        group.MapPut("/settings", PutSettings);
        group.MapGet("/templates", ListTemplates);
        group.MapGet("/templates/{templateId}/{locale}", GetTemplate);
        group.MapPut("/templates/{templateId}/{locale}", PutTemplate).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxTemplateBodyBytes));
        group.MapDelete("/templates/{templateId}/{locale}", DeleteTemplate);
        group.MapPost("/templates/{templateId}/preview", Preview);
        group.MapPost("/messages", Send);
        group.MapGet("/messages", List);
        group.MapGet("/messages/{messageId}", Get);
        group.MapPost("/messages/{messageId}/delivery-reports", Report);
        return routes;
    }

    private static async Task<IResult> GetSettings(HttpContext context, SettingsStore store, CancellationToken ct) =>
        TypedResults.Ok(SettingsDocument.From(await store.GetSettingsAsync(context.GetTenantId(), ct) ?? ChannelSettings.Empty));

    private static async Task<IResult> PutSettings(HttpContext context, SettingsStore store, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<SettingsDocument>(context, "settings", MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var settings = SettingsRules.ToSettings(body!, errors);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var saved = await store.PutSettingsAsync(context.GetTenantId(), settings!, ct);
        return TypedResults.Ok(SettingsDocument.From(saved));
    }

    private static async Task<IResult> ListTemplates(HttpContext context, SettingsStore store, CancellationToken ct)
    {
        var templates = await store.ListTemplatesAsync(context.GetTenantId(), ct);
        return TypedResults.Ok(new { templates = templates.Select(ToDocument), builtIn = DefaultTemplates.Ids });
    }

    private static async Task<IResult> GetTemplate(string templateId, string locale, HttpContext context, SettingsStore store, CancellationToken ct)
    {
        if (!Notifier.IsTemplateId(templateId) || !LocaleFallback.IsValidLocale(locale))
        {
            return TemplateNotFound(templateId, locale);
        }

        var template = (await store.GetTemplateAsync(context.GetTenantId(), templateId, ct)).FirstOrDefault(t => string.Equals(t.Locale, locale, StringComparison.OrdinalIgnoreCase));
        return template is null ? TemplateNotFound(templateId, locale) : TypedResults.Ok(ToDocument(template));
    }

    private static async Task<IResult> PutTemplate(string templateId, string locale, HttpContext context, SettingsStore store, TemplateRenderer renderer, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (Notifier.TemplateIdProblem(templateId) is { } templateProblem)
        {
            errors["templateId"] = [templateProblem];
        }

        if (Notifier.LocaleProblem(locale) is { } localeProblem)
        {
            errors["locale"] = [localeProblem];
        }

        var (body, problem) = await ReadAsync<TemplateDocument>(context, "template", MaxTemplateBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Subject is null)
        {
            errors["subject"] = ["The subject is required."];
        }

        if (body.Text is null)
        {
            errors["text"] = ["The plain-text body is required (SMS, push, webhooks and the email's text part use it)."];
        }

        foreach (var (field, value) in new[] { ("subject", body.Subject), ("html", body.Html), ("text", body.Text) })
        {
            if (!StorableJson.IsStorableText(value))
            {
                errors[field] = ["The text contains the NUL character."];
            }
        }

        if (body.TemplateId is { } bodyId && bodyId != templateId)
        {
            errors["templateId"] = ["The body's templateId differs from the path's."];
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var template = new MessageTemplate(templateId, locale.ToLowerInvariant(), body.Subject!, body.Html, body.Text!, time.GetUtcNow());
        foreach (var invalid in renderer.Validate(template))
        {
            errors[invalid.Field] = [invalid.Message];
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var created = await store.PutTemplateAsync(context.GetTenantId(), template, ct);
        var document = ToDocument(template);
        return created
            ? TypedResults.Created($"/v1/notifications/templates/{templateId}/{template.Locale}", document)
            : TypedResults.Ok(document);
    }

    private static async Task<IResult> DeleteTemplate(string templateId, string locale, HttpContext context, SettingsStore store, CancellationToken ct)
    {
        if (!Notifier.IsTemplateId(templateId) || !LocaleFallback.IsValidLocale(locale))
        {
            return TemplateNotFound(templateId, locale);
        }

        return await store.DeleteTemplateAsync(context.GetTenantId(), templateId, locale.ToLowerInvariant(), ct)
            ? TypedResults.NoContent()
            : TemplateNotFound(templateId, locale);
    }

    private static async Task<IResult> Preview(string templateId, HttpContext context, Notifier notifier, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<PreviewDocument>(context, "preview", MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (Notifier.TemplateIdProblem(templateId) is { } templateProblem)
        {
            errors["templateId"] = [templateProblem];
        }

        if (body!.Locale is { } locale && Notifier.LocaleProblem(locale) is { } localeProblem)
        {
            errors["locale"] = [localeProblem];
        }

        if (body.CustomerId is { } customerId && CustomerId.Validate(customerId) is { } customerProblem)
        {
            errors["customerId"] = [customerProblem];
        }

        if (Notifier.DataProblem(body.Data ?? default) is { } dataProblem)
        {
            errors["data"] = [dataProblem];
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        try
        {
            var (rendered, renderedLocale, notFound) = await notifier.PreviewAsync(
                context.GetTenantId(), templateId, body.Locale, body.CustomerId, body.Data ?? default, body.Channel ?? NotificationChannel.Email, ct);
            return rendered is null
                ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: notFound)
                : TypedResults.Ok(new { subject = rendered.Subject, html = rendered.Html, text = rendered.Text, locale = renderedLocale });
        }
        catch (TemplateRenderException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The template cannot be rendered", detail: e.Message);
        }
    }

    /// <summary>POST /v1/notifications/messages: 202 with the accepted message, or 200 with the earlier one for a repeated key.</summary>
    private static async Task<IResult> Send(HttpContext context, Notifier notifier, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<SendDocument>(context, "message", MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body!.Purpose is null)
        {
            errors["purpose"] = ["The purpose is required: transactional, service or marketing."];
        }

        var templateId = body.TemplateId ?? "";
        var key = body.IdempotencyKey ?? context.Request.Headers["Idempotency-Key"].FirstOrDefault() ?? "";
        var request = new NotificationRequest(
            body.CustomerId ?? "", templateId, body.Channels ?? [NotificationChannel.Email], body.Purpose ?? NotificationPurpose.Marketing, key,
            body.Kind ?? $"template:{templateId}", body.Locale, body.Data ?? default, body.SendAt, "api");
        foreach (var (field, messages) in await notifier.ValidateAsync(context.GetTenantId(), request, name => name, ct))
        {
            errors[field] = messages;
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var outcome = await notifier.SubmitAsync(context.GetTenantId(), request, ct);
        if (outcome.Conflict is { } conflict)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Idempotency key reused", detail: conflict);
        }

        var document = MessageDocument.From(outcome.Message);
        if (!outcome.Created)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
            return TypedResults.Ok(document);
        }

        return TypedResults.Accepted($"/v1/notifications/messages/{outcome.Message.MessageId}", document);
    }

    private static async Task<IResult> List(HttpContext context, MessageStore store, CancellationToken ct)
    {
        var query = context.Request.Query;
        var customerId = query["customerId"].FirstOrDefault();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (query["customerId"].Count != 1 || CustomerId.Validate(customerId) is not null)
        {
            errors["customerId"] = ["Name one customer: ?customerId=..."];
        }

        var limit = 50;
        if (query["limit"].FirstOrDefault() is { } text && (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 500))
        {
            errors["limit"] = ["The limit is 1-500."];
        }

        foreach (var name in query.Keys.Where(k => k is not ("customerId" or "limit")))
        {
            errors[name] = [$"'{name}' is not a parameter of this request. Parameters: customerId, limit."];
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var messages = await store.ListForCustomerAsync(context.GetTenantId(), customerId!, limit, ct);
        return TypedResults.Ok(new { messages = messages.Select(m => MessageDocument.From(m)) });
    }

    private static async Task<IResult> Get(string messageId, HttpContext context, MessageStore store, CancellationToken ct)
    {
        if (!Guid.TryParse(messageId, out var id) || await store.FindAsync(context.GetTenantId(), id, ct) is not { } message)
        {
            return MessageNotFound(messageId);
        }

        return TypedResults.Ok(MessageDocument.From(message, await store.LogOfAsync(context.GetTenantId(), id, ct)));
    }

    private static async Task<IResult> Report(string messageId, HttpContext context, Notifier notifier, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<DeliveryReportDocument>(context, "delivery report", MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Status is not ("delivered" or "bounced"))
        {
            return Invalid(new() { ["status"] = ["The status is delivered or bounced."] });
        }

        if (body.Detail is { Length: > 500 } || (body.Detail?.Any(char.IsControl) ?? false))
        {
            return Invalid(new() { ["detail"] = ["The detail is at most 500 characters, without control characters."] });
        }

        return Guid.TryParse(messageId, out var id) && await notifier.ReportAsync(context.GetTenantId(), id, body.Status == "delivered", body.Detail, ct)
            ? TypedResults.Accepted((string?)null)
            : MessageNotFound(messageId);
    }

    private static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpContext context, string what, long maxBytes)
        where T : class
    {
        var (document, problem) = await JsonRequestBody.ReadAsync(context, what, maxBytes);
        if (problem is not null)
        {
            return (null, problem);
        }

        using var _ = document;
        var (value, errors) = NotificationsJson.Read<T>(document!.RootElement);
        return errors is not null ? (null, Invalid(errors)) : (value, null);
    }

    private static TemplateDocument ToDocument(MessageTemplate t) => new(t.TemplateId, t.Locale, t.Subject, t.Html, t.Text, t.UpdatedAt);

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors) => TypedResults.ValidationProblem(errors, title: "The request is invalid");

    private static ProblemHttpResult MessageNotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Message not found", detail: $"There is no message '{id}'.");

    private static ProblemHttpResult TemplateNotFound(string id, string locale) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Template not found", detail: $"There is no template '{id}' in locale '{locale}'.");

    internal static bool IsEmail(string? address) => address is not null && MailboxAddress.TryParse(address, out var parsed) && parsed.Address.Contains('@', StringComparison.Ordinal);
}
