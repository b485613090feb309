using System.CommandLine;
using System.CommandLine.Parsing;
using RetentionPlatform.Admin.Api;

namespace RetentionPlatform.Admin.Commands;

/// <summary>
/// One run of rpadmin: where it writes, how it reaches the gateway, and the global options. It runs each command's
/// action and turns what went wrong into the documented exit code and a message on stderr.
/// </summary>
internal sealed class CommandSession(TextWriter output, TextWriter error, HttpClient? client, Func<string, string?> environment)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public Option<string> Url { get; } = new("--url")
    {
        Description = $"The gateway's base address [env: {AdminCli.GatewayUrlVariable}; default: {AdminCli.DefaultGatewayUrl}]",
        HelpName = "url",
        Recursive = true,
    };

    public Option<string> OperatorKey { get; } = new("--operator-key")
    {
        Description = $"The operator credential, sent as a bearer token [env: {AdminCli.OperatorKeyVariable}, which keeps it out of shell history and ps]",
        HelpName = "key",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the gateway's JSON instead of a table",
        Recursive = true,
    };

    /// <summary>Wraps a command's body as a System.CommandLine action that returns an exit code.</summary>
    public Func<ParseResult, CancellationToken, Task<int>> Action(Func<Invocation, Task> body) =>
        (parseResult, cancellationToken) => RunAsync(parseResult, body, cancellationToken);

    /// <summary>The command the user typed, e.g. <c>rpadmin keys issue</c>, for pointing at its help.</summary>
    public static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (SymbolResult? result = parseResult.CommandResult; result is CommandResult command; result = command.Parent)
        {
            names.Add(command.Parent is null ? "rpadmin" : command.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    private async Task<int> RunAsync(ParseResult parseResult, Func<Invocation, Task> body, CancellationToken cancellationToken)
    {
        try
        {
            var gateway = GatewayAddress(parseResult.GetValue(Url) ?? environment(AdminCli.GatewayUrlVariable));
            var operatorKey = parseResult.GetValue(OperatorKey) ?? environment(AdminCli.OperatorKeyVariable);
            using var ownClient = client is null ? new HttpClient { Timeout = RequestTimeout } : null;
            var api = new AdminApiClient(client ?? ownClient!, gateway, operatorKey);
            await body(new Invocation(parseResult, api, parseResult.GetValue(Json), output, cancellationToken));
            return ExitCodes.Success;
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"Error: {e.Message}");
            await error.WriteLineAsync($"Run '{CommandPath(parseResult)} --help' for usage.");
            return ExitCodes.Usage;
        }
        catch (ApiRefusedException e)
        {
            await WriteProblemAsync(e.Problem);
            return ExitCodes.Refused;
        }
        catch (GatewayUnreachableException e)
        {
            await error.WriteLineAsync($"Error: {e.Message}");
            await error.WriteLineAsync($"Is the gateway running? Point rpadmin at it with --url or {AdminCli.GatewayUrlVariable}.");
            return ExitCodes.Unreachable;
        }
    }

    private static Uri GatewayAddress(string? configured)
    {
        var text = string.IsNullOrWhiteSpace(configured) ? AdminCli.DefaultGatewayUrl : configured.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"'{text}' is not an http:// or https:// address for the gateway.");
        }

        // Relative paths resolve under the base only when it ends in a slash (a gateway mounted at /retention/).
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
    }

    private async Task WriteProblemAsync(ApiProblem problem)
    {
        await error.WriteLineAsync(problem.Status > 0 ? $"Error: {problem.Title} ({problem.Status})" : $"Error: {problem.Title}");
        if (!string.IsNullOrWhiteSpace(problem.Detail))
        {
            await error.WriteLineAsync(problem.Detail);
        }

        foreach (var (field, message) in problem.FieldErrors)
        {
            await error.WriteLineAsync($"  {field}: {message}");
        }

        if (problem.Status is 401 or 403)
        {
            await error.WriteLineAsync($"Check the operator key (--operator-key or {AdminCli.OperatorKeyVariable}).");
        }
    }
}
