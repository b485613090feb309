using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Profiles.Apis;

/// <summary>
/// Reads a request body as one JSON object (<see cref="JsonRequestBody"/>, and not an object is a 400 too).
/// </summary>
internal static class JsonBody
{
    /// <summary>Largest body the Profiles REST routes accept.</summary>
    public const int MaxBytes = 64 * 1024;

    public static async Task<(JsonElement Body, ProblemHttpResult? Problem)> ReadObjectAsync(HttpContext context)
    {
        var (document, problem) = await JsonRequestBody.ReadAsync(context, "request body", MaxBytes);
        if (document is null)
        {
            return (default, problem);
        }

        using (document)
        {
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (default, ApiProblems.BadRequest("Malformed body", "The body must be a JSON object."));
        }
    }
}
