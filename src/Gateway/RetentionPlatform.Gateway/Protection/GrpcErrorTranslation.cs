using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace RetentionPlatform.Gateway.Protection;

/// <summary>
/// Errors of gRPC services reached over REST (gRPC JSON transcoding answers an error as a JSON
/// <c>google.rpc.Status</c>: <c>{"code":3,"message":"...","details":[{"@type":".../google.rpc.BadRequest",
/// "fieldViolations":[...]}]}</c>) become the same ProblemDetails every other route answers: the gRPC code mapped
/// to its HTTP status, the message as <c>detail</c>, field violations as <c>errors</c> keyed by field, and the
/// code's name as <c>grpcStatus</c>.
/// </summary>
public static class GrpcErrorTranslation
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>HTTP status for each gRPC status code (the mapping of google.rpc.Code and gRPC JSON transcoding).</summary>
    public static int HttpStatusFor(int grpcCode) => grpcCode switch
    {
        0 => 200,
        1 => 499,
        3 or 9 or 11 => 400,
        4 => 504,
        5 => 404,
        6 or 10 => 409,
        7 => 403,
        8 => 429,
        12 => 501,
        14 => 503,
        16 => 401,
        _ => 500,
    };

    private static readonly string[] CodeNames =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    /// <summary>
    /// Reads a JSON <c>google.rpc.Status</c>; null when <paramref name="json"/> is not one (then the body is passed on as it is).
    /// </summary>
    public static ProblemDetails? ToProblem(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("code", out var codeElement) || !codeElement.TryGetInt32(out var code) || code is < 1 or > 16
                || !root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var errors = FieldViolations(root);
            var problem = errors.Count > 0 ? new ValidationProblemDetails(errors) : new ProblemDetails();
            problem.Status = HttpStatusFor(code);
            problem.Title = errors.Count > 0 ? "The request is invalid" : TitleFor(CodeNames[code]);
            problem.Detail = message.GetString();
            problem.Extensions["grpcStatus"] = CodeNames[code];
            return problem;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string TitleFor(string codeName) =>
        string.Join(' ', codeName.Split('_').Select((word, i) => i == 0 ? word[0] + word[1..].ToLowerInvariant() : word.ToLowerInvariant()));

    private static Dictionary<string, string[]> FieldViolations(JsonElement root)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (root.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
        {
            foreach (var detail in details.EnumerateArray())
            {
                if (detail.ValueKind != JsonValueKind.Object
                    || !detail.TryGetProperty("@type", out var type) || type.GetString()?.EndsWith("google.rpc.BadRequest", StringComparison.Ordinal) != true
                    || !detail.TryGetProperty("fieldViolations", out var violations) || violations.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var violation in violations.EnumerateArray())
                {
                    var field = violation.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : "";
                    var description = violation.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "";
                    (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(description);
                }
            }
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The YARP response transform: translates plain-JSON error answers that are gRPC statuses.</summary>
    public static TransformBuilderContext AddGrpcErrorTranslation(this TransformBuilderContext context) =>
        context.AddResponseTransform(async transform =>
        {
            var response = transform.ProxyResponse;
            if (response is null || (int)response.StatusCode < 400
                || response.Content.Headers.ContentType?.MediaType != "application/json"
                || response.Content.Headers.ContentLength > MaxErrorBodyBytes)
            {
                return;
            }

            // Error answers are small; one without a length is buffered up to the same bound.
            await response.Content.LoadIntoBufferAsync(MaxErrorBodyBytes, transform.HttpContext.RequestAborted);
            var body = await response.Content.ReadAsByteArrayAsync(transform.HttpContext.RequestAborted);
            var http = transform.HttpContext;
            var problem = ToProblem(body);
            transform.SuppressResponseBody = true;
            if (problem is null)
            {
                // Not a gRPC status: pass the body on unchanged.
                await http.Response.Body.WriteAsync(body, http.RequestAborted);
                return;
            }

            http.Response.StatusCode = problem.Status!.Value;
            http.Response.Headers.ContentLength = null;
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
        });
}
