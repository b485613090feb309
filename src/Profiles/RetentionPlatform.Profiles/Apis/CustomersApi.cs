using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RetentionPlatform.Profiles.Model;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Profiles.Apis;

/// <summary>
/// REST routes over customer profiles (reached through the gateway at <c>/v1/customers</c>). A customer id
/// containing '/' is sent encoded as <c>%2F</c>. Updates are applied as events with a fresh <c>api-</c> id and
/// answer the updated profile; 400 names every bad field, 409 means the customer was erased (or merged away
/// in a way that forbids the call).
/// </summary>
public static partial class CustomersApi
{
    /// <summary>The preferences a body may change but not remove (send as null).</summary>
    private static readonly string[] UnremovablePreferences = ["quietHoursStart", "quietHoursEnd", "preferredChannel", "timeZone", "locale"];

    /// <summary>Maps the customer routes under <c>/v1/customers</c>.</summary>
    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapTenantGroup("/v1/customers", "Customers");

        // A literal segment wins over {customerId}, so this route never reads a customer called "resolve".
        group.MapGet("/resolve", ResolveAliasAsync).WithName("ResolveCustomerAlias");
        group.MapGet("/{customerId}", GetCustomerAsync).WithName("GetCustomer");
        group.MapDelete("/{customerId}", EraseCustomerAsync).WithName("EraseCustomer");
        group.MapPatch("/{customerId}/traits", SetTraitsAsync).WithName("SetCustomerTraits");
        group.MapPut("/{customerId}/consent", SetConsentAsync).WithName("SetCustomerConsent");
        group.MapPatch("/{customerId}/preferences", SetPreferencesAsync).WithName("SetCustomerPreferences");
        group.MapPost("/{customerId}/identify", IdentifyAsync).WithName("IdentifyCustomer");
        group.MapPost("/{customerId}/contact-decisions", DecideContactAsync).WithName("DecideContact");
        group.MapPost("/{customerId}/human-requests", RequestHumanAsync).WithName("RequestHuman");
        group.MapPost("/{customerId}/merge", MergeAsync).WithName("MergeCustomers");
        group.MapGet("/{customerId}/export", ExportAsync).WithName("ExportCustomer");
        return routes;
    }

    /// <summary>GET /v1/customers/{id}: the live profile; 404 when nothing is known (or it was erased).</summary>
    public static async Task<Results<Ok<CustomerProfile>, ProblemHttpResult>> GetCustomerAsync(string customerId, HttpContext context, IGrainFactory grains)
    {
        customerId = PathSegment.Decode(customerId);
        if (InvalidCustomerId(customerId) is { } invalid)
        {
            return invalid;
        }

        return await Customer(grains, context, customerId).GetProfileAsync().WaitAsync(context.RequestAborted) is { } profile
            ? TypedResults.Ok(profile)
            : ApiProblems.CustomerNotFound(customerId);
    }

    /// <summary>DELETE /v1/customers/{id}: erasure, 204 also when nothing was known (later events for the id are ignored).</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> EraseCustomerAsync(string customerId, HttpContext context, IGrainFactory grains, ILoggerFactory loggers)
    {
        customerId = PathSegment.Decode(customerId);
        if (InvalidCustomerId(customerId) is { } invalid)
        {
            return invalid;
        }

        var (_, problem) = await ApiProblems.CallAsync(EraseAsync(Customer(grains, context, customerId)).WaitAsync(context.RequestAborted));
        if (problem is not null)
        {
            return problem;
        }

        var logger = loggers.CreateLogger(typeof(CustomersApi));
        var tenant = context.GetTenantId();
        LogErased(logger, tenant, customerId);
        return TypedResults.NoContent();
    }

    /// <summary>PATCH /v1/customers/{id}/traits: body is the traits object; a value sets a trait, null removes it.</summary>
    private static Task<Results<Ok<CustomerProfile>, ValidationProblem, ProblemHttpResult>> SetTraitsAsync(
        string customerId, HttpContext context, IGrainFactory grains, TimeProvider time) =>
        UpdateAsync(customerId, context, grains, request =>
        {
            var traits = new List<KeyValuePair<string, TraitValue?>>();
            foreach (var property in request.Body.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Null)
                {
                    traits.Add(new(property.Name, null));
                }
                else if (TraitValueJsonConverter.FromJson(property.Value) is { } value)
                {
                    traits.Add(new(property.Name, value));
                }
                else
                {
                    request.Errors.Add(property.Name, "A trait must be a string, a number or true/false (null removes it).");
                }
            }

            return ProfileChanges.Traits(traits, name => name, "body", request.Errors, time);
        });

    /// <summary>PUT /v1/customers/{id}/consent: body {channel, purpose, granted, source}.</summary>
    private static Task<Results<Ok<CustomerProfile>, ValidationProblem, ProblemHttpResult>> SetConsentAsync(
        string customerId, HttpContext context, IGrainFactory grains, TimeProvider time) =>
        UpdateAsync(customerId, context, grains, request =>
        {
            var fields = request.Fields("channel", "purpose", "granted", "source");
            return ProfileChanges.Consent(fields.Text("channel"), fields.Text("purpose"), fields.Flag("granted"), fields.Text("source"), request.Errors, time);
        });

    /// <summary>
    /// PATCH /v1/customers/{id}/preferences: body {quietHoursStart, quietHoursEnd ("HH:mm", together),
    /// preferredChannel, pausedUntil (ISO time, or null to end a pause), timeZone (IANA), locale}; only what is sent changes.
    /// </summary>
    private static Task<Results<Ok<CustomerProfile>, ValidationProblem, ProblemHttpResult>> SetPreferencesAsync(
        string customerId, HttpContext context, IGrainFactory grains, TimeProvider time) =>
        UpdateAsync(customerId, context, grains, request =>
        {
            var fields = request.Fields("quietHoursStart", "quietHoursEnd", "preferredChannel", "pausedUntil", "timeZone", "locale");
            foreach (var name in UnremovablePreferences)
            {
                if (fields.IsNull(name))
                {
                    request.Errors.Add(name, $"'{name}' cannot be removed, only changed.");
                }
            }

            var change = new PreferencesChange(
                fields.Text("quietHoursStart"),
                fields.Text("quietHoursEnd"),
                fields.Text("preferredChannel"),
                fields.Time("pausedUntil"),
                ClearPausedUntil: fields.IsNull("pausedUntil"),
                fields.Text("timeZone"),
                fields.Text("locale"));
            return ProfileChanges.Preferences(change, request.Errors, time);
        });

    /// <summary>POST /v1/customers/{id}/identify: body {email, phone, firstName, lastName, externalIds{}, timeZone, locale}.</summary>
    private static Task<Results<Ok<CustomerProfile>, ValidationProblem, ProblemHttpResult>> IdentifyAsync(
        string customerId, HttpContext context, IGrainFactory grains, TimeProvider time) =>
        UpdateAsync(customerId, context, grains, request =>
        {
            var fields = request.Fields("email", "phone", "firstName", "lastName", "externalIds", "timeZone", "locale");
            var change = new IdentityChange(
                fields.Text("email"),
                fields.Text("phone"),
                fields.Text("firstName"),
                fields.Text("lastName"),
                fields.TextMap("externalIds"),
                fields.Text("timeZone"),
                fields.Text("locale"));
            return ProfileChanges.Identify(change, request.Errors, time);
        });

    /// <summary>
    /// POST /v1/customers/{id}/contact-decisions: body {channel, purpose, kind, messageId?}; answers
    /// {outcome, reason, detail, deferUntil, decidedAt, channel, purpose, kind}. An unknown customer is denied, not 404.
    /// </summary>
    private static Task<Results<Ok<ContactDecision>, ValidationProblem, ProblemHttpResult>> DecideContactAsync(
        string customerId, HttpContext context, IGrainFactory grains) =>
        WithBodyAsync<Ok<ContactDecision>>(customerId, context, async request =>
        {
            var fields = request.Fields("channel", "purpose", "kind", "messageId");
            var contact = ProfileChanges.ContactRequest(fields.Text("channel"), fields.Text("purpose"), fields.Text("kind"), fields.Text("messageId"), request.Errors);
            if (contact is null || !request.Errors.IsEmpty)
            {
                return ApiProblems.Invalid(request.Errors, "The contact request is invalid");
            }

            var (decision, failed) = await ApiProblems.CallAsync(Customer(grains, context, request.CustomerId).DecideContactAsync(contact).WaitAsync(context.RequestAborted));
            return failed is null ? TypedResults.Ok(decision!) : failed;
        });

    /// <summary>POST /v1/customers/{id}/human-requests: body {reason}; 201 {caseId}. Marketing pauses until the case is closed.</summary>
    private static Task<Results<Created<HumanRequestCreated>, ValidationProblem, ProblemHttpResult>> RequestHumanAsync(
        string customerId, HttpContext context, IGrainFactory grains) =>
        WithBodyAsync<Created<HumanRequestCreated>>(customerId, context, async request =>
        {
            var reason = ProfileChanges.HumanReason(request.Fields("reason").Text("reason"), request.Errors);
            if (!request.Errors.IsEmpty)
            {
                return ApiProblems.Invalid(request.Errors);
            }

            var (caseId, failed) = await ApiProblems.CallAsync(Customer(grains, context, request.CustomerId).RequestHumanAsync(reason ?? "").WaitAsync(context.RequestAborted));
            return failed is null ? TypedResults.Created((string?)null, new HumanRequestCreated(caseId!)) : failed;
        });

    /// <summary>POST /v1/customers/{id}/merge: body {sourceCustomerId}; the source is absorbed into {id}; answers the merged profile.</summary>
    private static Task<Results<Ok<CustomerProfile>, ValidationProblem, ProblemHttpResult>> MergeAsync(
        string customerId, HttpContext context, IGrainFactory grains, ILoggerFactory loggers) =>
        WithBodyAsync<Ok<CustomerProfile>>(customerId, context, async request =>
        {
            var errors = request.Errors;
            var source = request.Fields("sourceCustomerId").Text("sourceCustomerId");
            if (ApiValues.CheckCustomerId(source, "sourceCustomerId", errors) && source == request.CustomerId)
            {
                errors.Add("sourceCustomerId", "A customer cannot be merged into itself.");
            }

            if (!errors.IsEmpty)
            {
                return ApiProblems.Invalid(errors, "The merge is invalid");
            }

            var (profile, failed) = await ApiProblems.CallAsync(Customer(grains, context, request.CustomerId).MergeAsync(source!).WaitAsync(context.RequestAborted));
            if (failed is not null)
            {
                return failed;
            }

            var logger = loggers.CreateLogger(typeof(CustomersApi));
            var tenant = context.GetTenantId();
            var target = profile!.CustomerId;
            LogMerged(logger, tenant, source!, target);
            return TypedResults.Ok(profile);
        });

    /// <summary>GET /v1/customers/{id}/export: everything held about the customer, as a JSON attachment.</summary>
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportAsync(string customerId, HttpContext context, IGrainFactory grains)
    {
        customerId = PathSegment.Decode(customerId);
        if (InvalidCustomerId(customerId) is { } invalid)
        {
            return invalid;
        }

        var document = await Customer(grains, context, customerId).ExportAsync().WaitAsync(context.RequestAborted);
        return document is null
            ? ApiProblems.CustomerNotFound(customerId)
            : TypedResults.File(Encoding.UTF8.GetBytes(document), "application/json", $"customer-{FileNameOf(customerId)}.json");
    }

    /// <summary>GET /v1/customers/resolve?alias=email:ann@example.com: the customer an alias belongs to (after merges, the canonical one).</summary>
    private static async Task<Results<Ok<ResolvedAlias>, ValidationProblem, ProblemHttpResult>> ResolveAliasAsync(string? alias, HttpContext context, IGrainFactory grains, [FromServices] ICustomerAliasStore aliases)
    {
        var errors = new FieldErrors();
        var normalized = ApiValues.Alias(alias, errors);
        if (normalized is null)
        {
            return ApiProblems.Invalid(errors, "The alias is invalid");
        }

        var tenant = context.GetTenantId();
        var holder = await aliases.ResolveAsync(tenant, normalized, context.RequestAborted);
        if (holder is null)
        {
            return ApiProblems.NotFound("Alias not found", $"No customer has the alias '{normalized}'.");
        }

        var canonical = await grains.GetGrain<ICustomerGrain>(CustomerGrainKey.For(tenant, holder)).GetCanonicalIdAsync().WaitAsync(context.RequestAborted);
        return TypedResults.Ok(new ResolvedAlias(canonical));
    }

    /// <summary>
    /// The common start of a route with a body: reads the JSON body (answering a body it cannot read with its
    /// problem), decodes and checks the customer id, then lets <paramref name="handle"/> answer.
    /// </summary>
    private static async Task<Results<TOk, ValidationProblem, ProblemHttpResult>> WithBodyAsync<TOk>(
        string customerId, HttpContext context, Func<CustomerBody, Task<Results<TOk, ValidationProblem, ProblemHttpResult>>> handle)
        where TOk : IResult
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(context);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new FieldErrors();
        customerId = PathSegment.Decode(customerId);
        ApiValues.CheckCustomerId(customerId, "customerId", errors);
        return await handle(new CustomerBody(customerId, body, errors));
    }

    /// <summary>
    /// A route that applies one change to the customer: <paramref name="read"/> turns the body into the change
    /// (recording problems); answers the updated profile, or every problem.
    /// </summary>
    private static Task<Results<Ok<CustomerProfile>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string customerId, HttpContext context, IGrainFactory grains, Func<CustomerBody, CustomerEventData?> read) =>
        WithBodyAsync<Ok<CustomerProfile>>(customerId, context, async request =>
        {
            var change = read(request);
            if (change is null || !request.Errors.IsEmpty)
            {
                return ApiProblems.Invalid(request.Errors);
            }

            var (profile, problem) = await ApiProblems.CallAsync(Customer(grains, context, request.CustomerId).UpdateAsync(change).WaitAsync(context.RequestAborted));
            return problem is null ? TypedResults.Ok(profile!) : problem;
        });

    private static async Task<bool> EraseAsync(ICustomerGrain grain)
    {
        await grain.EraseAsync();
        return true;
    }

    private static ICustomerGrain Customer(IGrainFactory grains, HttpContext context, string customerId) =>
        grains.GetGrain<ICustomerGrain>(CustomerGrainKey.For(context.GetTenantId(), customerId));


    private static ProblemHttpResult? InvalidCustomerId(string customerId) =>
        CustomerId.Validate(customerId) is { } problem ? ApiProblems.BadRequest("Invalid customer id", problem) : null;

    private static string FileNameOf(string customerId) =>
        new(customerId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer {Tenant}/{Source} merged into {Target} over REST")]
    private static partial void LogMerged(ILogger logger, string tenant, string source, string target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer {Tenant}/{Customer} erased over REST")]
    private static partial void LogErased(ILogger logger, string tenant, string customer);
}
