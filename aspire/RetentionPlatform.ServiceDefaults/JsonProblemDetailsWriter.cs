using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The last resort of the ProblemDetails writers: ASP.NET Core's own writer declines when the caller's
/// <c>Accept</c> header excludes JSON (<c>Accept: application/xml</c>), and then an error page would fail (500)
/// or fall back to plain text. This one always answers <c>application/problem+json</c>: the platform has no other
/// error format, and a refusal must never turn into a server error.
/// </summary>
internal sealed class JsonProblemDetailsWriter(IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Status ??= context.HttpContext.Response.StatusCode;
        if (!problem.Extensions.ContainsKey("traceId"))
        {
            problem.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
        }

        options.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync<object>(problem, options: null, contentType: "application/problem+json"));
    }
}
