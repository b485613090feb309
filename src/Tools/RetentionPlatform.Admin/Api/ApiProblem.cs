using System.Net;
using System.Text.Json;

namespace RetentionPlatform.Admin.Api;

/// <summary>An RFC 9457 ProblemDetails answer, or what rpadmin can say about a refusal that did not send one.</summary>
internal sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyList<KeyValuePair<string, string>> FieldErrors)
{
    /// <summary>Reads the problem from a refusal's body, falling back to the status line when the body is not a problem.</summary>
    public static ApiProblem Parse(HttpStatusCode status, string? reasonPhrase, string body)
    {
        var fallbackTitle = string.IsNullOrWhiteSpace(reasonPhrase) ? status.ToString() : reasonPhrase;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return new ApiProblem((int)status, fallbackTitle, null, []);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new ApiProblem((int)status, fallbackTitle, null, []);
            }

            var root = document.RootElement;
            var title = StringProperty(root, "title") ?? fallbackTitle;
            var detail = StringProperty(root, "detail");
            var problemStatus = root.TryGetProperty("status", out var s) && s.TryGetInt32(out var n) ? n : (int)status;
            var fieldErrors = new List<KeyValuePair<string, string>>();
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in errors.EnumerateObject())
                {
                    if (field.Value.ValueKind == JsonValueKind.Array)
                    {
                        fieldErrors.AddRange(field.Value.EnumerateArray().Select(message => new KeyValuePair<string, string>(field.Name, Text(message))));
                    }
                    else
                    {
                        fieldErrors.Add(new(field.Name, Text(field.Value)));
                    }
                }
            }

            return new ApiProblem(problemStatus, title, detail, fieldErrors);
        }
    }

    private static string Text(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
