using RetentionPlatform.Scheduling.Model;

namespace RetentionPlatform.Scheduling.Apis;

/// <summary>Scheduling errors as ProblemDetails, the same shape from every route.</summary>
internal static class ApiResults
{
    public static IResult Problem(SchedulingError error) => error.Kind switch
    {
        SchedulingErrorKind.Invalid => TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [error.Field ?? "$"] = [error.Detail] }, title: error.Title),
        SchedulingErrorKind.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: error.Title, detail: error.Detail),
        SchedulingErrorKind.Conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: error.Title, detail: error.Detail, extensions: Field(error)),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: error.Title, detail: error.Detail, extensions: Field(error)),
    };

    public static IResult Invalid(Dictionary<string, string[]> errors) => TypedResults.ValidationProblem(errors, title: "The request is invalid");

    /// <summary>A path id decoded; null (answer 404) when it cannot name anything, such as one with control characters.</summary>
    public static string? PathId(string raw)
    {
        var id = Tenancy.PathSegment.Decode(raw);
        return ScheduleIds.Validate(id, "path") is null ? id : null;
    }

    public static IResult NotFound(string what, string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"{what} not found", detail: $"There is no {what.ToLowerInvariant()} '{id}'.");

    private static Dictionary<string, object?>? Field(SchedulingError error) =>
        error.Field is null ? null : new Dictionary<string, object?> { ["field"] = error.Field };
}
