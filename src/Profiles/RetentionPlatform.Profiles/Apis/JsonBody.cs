using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace RetentionPlatform.Profiles.Apis;

/// <summary>
/// Reads a request body as one JSON object, answering what a caller can get wrong (wrong media type, malformed
/// JSON, too large, not an object) with ProblemDetails instead of an exception.
/// </summary>
internal static class JsonBody
{
    /// <summary>Largest body the Profiles REST routes accept.</summary>
    public const int MaxBytes = 64 * 1024;

    public static async Task<(JsonElement Body, ProblemHttpResult? Problem)> ReadObjectAsync(HttpContext context)
    {
        if (!context.Request.HasJsonContentType())
        {
            return (default, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", detail: "Send the body as application/json."));
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (default, ApiProblems.BadRequest("Malformed body", "The body must be a JSON object."));
        }
        catch (JsonException ex)
        {
            return (default, ApiProblems.BadRequest("Malformed JSON", $"The body is not valid JSON: {ex.Message}"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (default, TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large", detail: $"A request body may be at most {MaxBytes} bytes."));
        }
    }
}
