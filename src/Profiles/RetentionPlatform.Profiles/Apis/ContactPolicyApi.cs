using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using RetentionPlatform.Profiles.Model;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Profiles.Apis;

/// <summary>
/// The tenant's contact policy (reached through the gateway at <c>/v1/contact-policy</c>). The body mirrors
/// <see cref="ContactPolicy"/> with durations as ISO 8601 strings (<c>"P7D"</c>) and quiet hours as <c>"HH:mm"</c>:
/// <c>{budgetMaxTouches (0-1000), budgetWindow (PT1H-P365D), quietHoursStart, quietHoursEnd, defaultTimeZone (IANA),
/// negativeFeedbackWindow (P0D-P365D), negativeFeedbackThreshold (0-1), refundWindow (P0D-P365D),
/// cancellationWindow (P0D-P365D), appointmentQuietPeriod (P0D-P30D), defaultPurchaseCadence (P1D-P730D),
/// monetaryBands (4 ascending amounts)}</c>. PUT replaces the whole policy: a field left out takes its default.
/// </summary>
public static class ContactPolicyApi
{
    /// <summary>Maps the contact policy routes under <c>/v1/contact-policy</c>.</summary>
    public static IEndpointRouteBuilder MapContactPolicyApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapTenantGroup("/v1/contact-policy", "Contact policy");
        group.MapGet("/", GetPolicyAsync).WithName("GetContactPolicy");
        group.MapPut("/", SetPolicyAsync).WithName("SetContactPolicy");
        return routes;
    }

    /// <summary>Reads a policy body; records every problem, per field.</summary>
    internal static ContactPolicy? ReadPolicy(JsonElement body, FieldErrors errors)
    {
        var fields = new JsonFields(body, errors);
        fields.RejectUnknown(
            "budgetMaxTouches", "budgetWindow", "quietHoursStart", "quietHoursEnd", "defaultTimeZone", "negativeFeedbackWindow",
            "negativeFeedbackThreshold", "refundWindow", "cancellationWindow", "appointmentQuietPeriod", "defaultPurchaseCadence", "monetaryBands");
        List<decimal>? bands = null;
        switch (fields.Get("monetaryBands"))
        {
            case null:
                break;
            case { ValueKind: JsonValueKind.Array } array:
                bands = [];
                foreach (var item in array.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Number && item.TryGetDecimal(out var amount))
                    {
                        bands.Add(amount);
                    }
                    else
                    {
                        errors.Add("monetaryBands", "Every band must be a number.");
                        break;
                    }
                }

                break;
            default:
                errors.Add("monetaryBands", "The 'monetaryBands' field must be an array of 4 numbers.");
                break;
        }

        var input = new ContactPolicyInput
        {
            BudgetMaxTouches = fields.Integer("budgetMaxTouches"),
            BudgetWindow = fields.Duration("budgetWindow"),
            QuietHoursStart = fields.Text("quietHoursStart"),
            QuietHoursEnd = fields.Text("quietHoursEnd"),
            DefaultTimeZone = fields.Text("defaultTimeZone"),
            NegativeFeedbackWindow = fields.Duration("negativeFeedbackWindow"),
            NegativeFeedbackThreshold = fields.Number("negativeFeedbackThreshold"),
            RefundWindow = fields.Duration("refundWindow"),
            CancellationWindow = fields.Duration("cancellationWindow"),
            AppointmentQuietPeriod = fields.Duration("appointmentQuietPeriod"),
            DefaultPurchaseCadence = fields.Duration("defaultPurchaseCadence"),
            MonetaryBands = bands,
        };
        // Ranges are checked even when a value elsewhere could not be read, so one answer names every problem.
        return ContactPolicyRules.Validate(input, errors);
    }

    /// <summary>GET /v1/contact-policy: the policy in force (the platform defaults until the tenant sets one).</summary>
    private static async Task<Ok<ContactPolicyDocument>> GetPolicyAsync(HttpContext context, IGrainFactory grains)
    {
        var configuration = await grains.GetGrain<ITenantGrain>(context.GetTenantId()).GetConfigurationAsync().WaitAsync(context.RequestAborted);
        return TypedResults.Ok(ContactPolicyDocument.From(configuration.Policy));
    }

    /// <summary>PUT /v1/contact-policy: replaces the policy; decisions use it within seconds.</summary>
    private static async Task<Results<Ok<ContactPolicyDocument>, ValidationProblem, ProblemHttpResult>> SetPolicyAsync(HttpContext context, IGrainFactory grains)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(context);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new FieldErrors();
        var policy = ReadPolicy(body, errors);
        if (policy is null || !errors.IsEmpty)
        {
            return ApiProblems.Invalid(errors, "The contact policy is invalid");
        }

        var (configuration, failed) = await ApiProblems.CallAsync(grains.GetGrain<ITenantGrain>(context.GetTenantId()).SetContactPolicyAsync(policy).WaitAsync(context.RequestAborted));
        return failed is null ? TypedResults.Ok(ContactPolicyDocument.From(configuration!.Policy)) : failed;
    }
}
