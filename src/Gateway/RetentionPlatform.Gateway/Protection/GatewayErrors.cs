using System.Globalization;

namespace RetentionPlatform.Gateway.Protection;

/// <summary>
/// The one way the gateway answers a refusal of its own (401, 403, 413, 429): ProblemDetails for REST callers, and
/// for gRPC callers (a gRPC content type on a gRPC method's path) a gRPC status they understand (UNAUTHENTICATED,
/// PERMISSION_DENIED, RESOURCE_EXHAUSTED, ...) as a trailers-only answer.
/// </summary>
public static class GatewayErrors
{
    /// <summary>A gRPC call: a gRPC content type on a <c>/package.Service/Method</c> path (REST paths have no dot there).</summary>
    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true
        && request.Path.Value is { } path && path.IndexOf('/', 1) is > 1 and var end && path.AsSpan(1, end - 1).Contains('.');

    public static async ValueTask WriteAsync(HttpContext context, int status, string title, string detail)
    {
        // Every refusal here comes before the body is read (which is why the server never asks for it with 100 Continue):
        // whatever the client sends anyway is read and discarded after the answer, and the connection then closes.
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            context.Response.Headers.Connection = "close";
            BodyLimits.DrainWhatIsSentAnyway(context);
        }

        if (IsGrpc(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = GrpcCodeFor(status).ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["grpc-message"] = Uri.EscapeDataString($"{title}: {detail}");
            return;
        }

        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    private static int GrpcCodeFor(int httpStatus) => httpStatus switch
    {
        StatusCodes.Status401Unauthorized => 16,
        StatusCodes.Status403Forbidden => 7,
        StatusCodes.Status413PayloadTooLarge or StatusCodes.Status429TooManyRequests => 8,
        StatusCodes.Status414UriTooLong => 3,
        StatusCodes.Status404NotFound => 12,
        StatusCodes.Status504GatewayTimeout => 4,
        _ => 2,
    };
}
