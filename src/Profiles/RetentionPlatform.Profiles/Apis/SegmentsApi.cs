using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using RetentionPlatform.Profiles.Model;
using RetentionPlatform.Profiles.Segments;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Profiles.Apis;

/// <summary>
/// REST routes over a tenant's real-time segments (reached through the gateway at <c>/v1/segments</c>):
/// definitions live in the tenant's grain, member lists in PostgreSQL (kept by the customers' grains).
/// </summary>
public static class SegmentsApi
{
    /// <summary>Maps the segment routes under <c>/v1/segments</c>.</summary>
    public static IEndpointRouteBuilder MapSegmentsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapTenantGroup("/v1/segments", "Segments");
        group.MapGet("/", ListSegmentsAsync).WithName("ListSegments");
        group.MapPut("/{segmentId}", DefineSegmentAsync).WithName("DefineSegment");
        group.MapGet("/{segmentId}", GetSegmentAsync).WithName("GetSegment");
        group.MapDelete("/{segmentId}", DeleteSegmentAsync).WithName("DeleteSegment");
        group.MapGet("/{segmentId}/members", ListMembersAsync).WithName("ListSegmentMembers");
        return routes;
    }

    /// <summary>Reads <c>{name, conditions:[{field, operator, value}]}</c> into a definition; records every problem.</summary>
    internal static SegmentDefinition ReadDefinition(string segmentId, JsonElement body, FieldErrors errors)
    {
        var fields = new JsonFields(body, errors);
        fields.RejectUnknown("id", "name", "conditions");
        if (fields.Text("id") is { } id && id != segmentId)
        {
            errors.Add("id", $"The body's id '{id}' differs from the id in the path '{segmentId}'; leave it out or make them equal.");
        }

        var name = fields.Text("name") ?? "";
        var conditions = new List<SegmentCondition>();
        switch (fields.Get("conditions"))
        {
            case null:
                break;
            case { ValueKind: JsonValueKind.Array } array:
                var index = 0;
                foreach (var item in array.EnumerateArray())
                {
                    var path = $"conditions[{index++}]";
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        errors.Add(path, "A condition is an object {field, operator, value}.");
                        continue;
                    }

                    var condition = new JsonFields(item, errors, path + ".");
                    condition.RejectUnknown("field", "operator", "value");
                    conditions.Add(new SegmentCondition(condition.Text("field") ?? "", condition.Text("operator") ?? "", condition.Scalar("value")));
                }

                break;
            default:
                errors.Add("conditions", "The 'conditions' field must be an array of {field, operator, value}.");
                break;
        }

        var definition = new SegmentDefinition(segmentId, name, conditions);
        if (errors.IsEmpty)
        {
            errors.AddAll(SegmentFields.Validate(definition), field => field == "id" ? "segmentId" : field);
        }

        return definition;
    }

    /// <summary>PUT /v1/segments/{segmentId}: creates (201) or replaces (200) a segment; members are evaluated in the background.</summary>
    private static async Task<Results<Created<SegmentDefinition>, Ok<SegmentDefinition>, ValidationProblem, ProblemHttpResult>> DefineSegmentAsync(
        string segmentId, HttpContext context, IGrainFactory grains)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(context);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new FieldErrors();
        var definition = ReadDefinition(segmentId, body, errors);
        if (!errors.IsEmpty)
        {
            return ApiProblems.Invalid(errors, "The segment is invalid");
        }

        var (created, failed) = await ApiProblems.CallAsync(Tenant(grains, context).DefineSegmentAsync(definition).WaitAsync(context.RequestAborted));
        if (failed is not null)
        {
            return failed;
        }

        return created ? TypedResults.Created($"/v1/segments/{segmentId}", definition) : TypedResults.Ok(definition);
    }

    /// <summary>GET /v1/segments: every segment of the tenant, ordered by id.</summary>
    private static async Task<Ok<SegmentList>> ListSegmentsAsync(HttpContext context, IGrainFactory grains)
    {
        var configuration = await Tenant(grains, context).GetConfigurationAsync().WaitAsync(context.RequestAborted);
        return TypedResults.Ok(new SegmentList(configuration.Segments));
    }

    /// <summary>GET /v1/segments/{segmentId}: one definition, 404 when the tenant has none by that id.</summary>
    private static async Task<Results<Ok<SegmentDefinition>, ProblemHttpResult>> GetSegmentAsync(string segmentId, HttpContext context, IGrainFactory grains)
    {
        if (InvalidSegmentId(segmentId) is { } invalid)
        {
            return invalid;
        }

        return await FindAsync(grains, context, segmentId) is { } segment ? TypedResults.Ok(segment) : SegmentNotFound(segmentId);
    }

    /// <summary>DELETE /v1/segments/{segmentId}: 204, or 404 when the tenant has no segment by that id.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteSegmentAsync(string segmentId, HttpContext context, IGrainFactory grains)
    {
        if (InvalidSegmentId(segmentId) is { } invalid)
        {
            return invalid;
        }

        return await Tenant(grains, context).DeleteSegmentAsync(segmentId).WaitAsync(context.RequestAborted)
            ? TypedResults.NoContent()
            : SegmentNotFound(segmentId);
    }

    /// <summary>
    /// GET /v1/segments/{segmentId}/members?limit=&amp;after=: members ordered by customer id, <c>limit</c> 1-1000
    /// (default 100), <c>after</c> the previous page's <c>next</c>.
    /// </summary>
    private static async Task<Results<Ok<SegmentMembersPage>, ValidationProblem, ProblemHttpResult>> ListMembersAsync(
        string segmentId, string? limit, string? after, HttpContext context, IGrainFactory grains, NpgsqlDataSource dataSource)
    {
        var errors = new FieldErrors();
        if (!ApiValues.IsSegmentId(segmentId))
        {
            errors.Add("segmentId", "A segment id is 1-64 letters, digits, '-' or '_'.");
        }

        var pageSize = SegmentMembersReader.DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > SegmentMembersReader.MaxLimit))
        {
            errors.Add("limit", $"The limit must be a whole number from 1 to {SegmentMembersReader.MaxLimit}.");
        }

        if (after is not null)
        {
            ApiValues.CheckCustomerId(after, "after", errors);
        }

        if (!errors.IsEmpty)
        {
            return ApiProblems.Invalid(errors, "The page request is invalid");
        }

        if (await FindAsync(grains, context, segmentId) is null)
        {
            return SegmentNotFound(segmentId);
        }

        return TypedResults.Ok(await SegmentMembersReader.ReadPageAsync(dataSource, context.GetTenantId(), segmentId, after, pageSize, context.RequestAborted));
    }

    private static async Task<SegmentDefinition?> FindAsync(IGrainFactory grains, HttpContext context, string segmentId)
    {
        var configuration = await Tenant(grains, context).GetConfigurationAsync().WaitAsync(context.RequestAborted);
        return configuration.Segments.FirstOrDefault(s => s.Id == segmentId);
    }

    private static ITenantGrain Tenant(IGrainFactory grains, HttpContext context) => grains.GetGrain<ITenantGrain>(context.GetTenantId());

    private static ProblemHttpResult? InvalidSegmentId(string segmentId) =>
        ApiValues.IsSegmentId(segmentId) ? null : ApiProblems.BadRequest("Invalid segment id", "A segment id is 1-64 letters, digits, '-' or '_'.");

    private static ProblemHttpResult SegmentNotFound(string segmentId) =>
        ApiProblems.NotFound("Segment not found", $"The tenant has no segment '{segmentId}'.");
}
