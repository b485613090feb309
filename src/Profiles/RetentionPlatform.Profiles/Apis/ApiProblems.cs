using Microsoft.AspNetCore.Http.HttpResults;
using RetentionPlatform.Profiles.Model;

namespace RetentionPlatform.Profiles.Apis;

/// <summary>The ProblemDetails answers of the Profiles REST routes, and grain errors turned into them.</summary>
internal static class ApiProblems
{
    public static ValidationProblem Invalid(FieldErrors errors, string title = "The request is invalid") =>
        TypedResults.ValidationProblem(errors.ToDictionary(), title: title);

    public static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);

    public static ProblemHttpResult NotFound(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: title, detail: detail);

    public static ProblemHttpResult CustomerNotFound(string customerId) =>
        NotFound("Customer not found", $"Nothing is known about customer '{customerId}' (no events, or it was erased).");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    /// <summary>
    /// Awaits a grain call, turning the grain's documented refusals into problems: <see cref="ArgumentException"/>
    /// (bad input) into 400 and <see cref="InvalidOperationException"/> (erased, already merged) into 409.
    /// </summary>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> CallAsync<T>(Task<T> call)
    {
        try
        {
            return (await call, null);
        }
        catch (ArgumentException ex)
        {
            return (default, BadRequest("The request is invalid", ex.Message));
        }
        catch (InvalidOperationException ex)
        {
            return (default, Conflict(ex.Message));
        }
    }
}
