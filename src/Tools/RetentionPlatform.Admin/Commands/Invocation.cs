using System.CommandLine;
using RetentionPlatform.Admin.Api;

namespace RetentionPlatform.Admin.Commands;

/// <summary>What one command's body works with: its parsed arguments, the admin API, and where to print.</summary>
internal sealed record Invocation(ParseResult ParseResult, AdminApiClient Api, bool Json, TextWriter Output, CancellationToken CancellationToken)
{
    public T Get<T>(Argument<T> argument) => ParseResult.GetRequiredValue(argument);

    public T? Get<T>(Option<T> option) => ParseResult.GetValue(option);

    /// <summary>Prints the gateway's JSON as it came when <c>--json</c> was given; otherwise runs <paramref name="human"/>.</summary>
    public void Print<T>(ApiResponse<T> response, Action<T> human)
    {
        if (Json)
        {
            Output.WriteLine(response.Json.TrimEnd());
        }
        else
        {
            human(response.Value);
        }
    }
}
