using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace RetentionPlatform.Tenancy;

/// <summary>
/// Reads a request body as JSON for every REST route of the platform, answering what a caller can get wrong with
/// ProblemDetails instead of an exception: wrong media type (415), malformed JSON (400), text that is not valid
/// Unicode (a lone surrogate escape such as <c>\ud800</c>, or invalid UTF-8: 400, checked once here so no later
/// read of a name or value can throw), too large (413), a body the client broke off (its 4xx).
/// </summary>
public static class JsonRequestBody
{
    /// <summary>The parsed body (the caller disposes it), or the problem to answer.</summary>
    /// <param name="context">The request.</param>
    /// <param name="what">What the body is, for messages ("event", "request body").</param>
    /// <param name="maxBytes">The route's limit, for the 413 message.</param>
    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadAsync(HttpContext context, string what, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", detail: $"Send the {what} as application/json."));
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return (null, Malformed($"The body is not valid JSON: {ex.Message}"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The rest of the body stays unread: the connection cannot carry another request.
            context.Response.Headers.Connection = "close";
            return (null, TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: $"{char.ToUpperInvariant(what[0])}{what[1..]} too large",
                detail: $"A {what} may be at most {maxBytes} bytes."));
        }
        catch (BadHttpRequestException ex)
        {
            // The client broke off, or sent a body that does not match its framing: its fault, not ours.
            return (null, TypedResults.Problem(statusCode: ex.StatusCode, title: "Unreadable body", detail: $"The {what} could not be read: {ex.Message}"));
        }

        if (FindInvalidText(document.RootElement, "$") is { } path)
        {
            document.Dispose();
            return (null, Malformed($"The body has text at '{path}' that is not valid Unicode (such as a lone surrogate escape like \\ud800, or invalid UTF-8)."));
        }

        return (document, null);
    }

    private static ProblemHttpResult Malformed(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON", detail: detail);

    /// <summary>The JSON path of the first property name or string that cannot be read as text, or null.</summary>
    private static string? FindInvalidText(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var index = 0;
                foreach (var property in element.EnumerateObject())
                {
                    if (!Readable(() => property.Name))
                    {
                        return $"{path} (property {index})";
                    }

                    if (FindInvalidText(property.Value, $"{path}.{property.Name}") is { } inner)
                    {
                        return inner;
                    }

                    index++;
                }

                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindInvalidText(item, $"{path}[{i++}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.String:
                return Readable(element.GetString) ? null : path;
            default:
                return null;
        }
    }

    private static bool Readable(Func<string?> read)
    {
        try
        {
            _ = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
