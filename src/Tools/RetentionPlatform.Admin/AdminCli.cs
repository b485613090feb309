using System.CommandLine;
using System.CommandLine.Help;
using RetentionPlatform.Admin.Commands;

namespace RetentionPlatform.Admin;

/// <summary>
/// rpadmin's whole command layer behind one call, so that <c>Program</c> and tests run the very same thing:
/// parse <c>args</c>, call the gateway's admin API, write to <c>output</c> and <c>error</c>, return the exit code.
/// </summary>
public static class AdminCli
{
    public const string GatewayUrlVariable = "RETENTION_GATEWAY_URL";
    public const string OperatorKeyVariable = "RETENTION_OPERATOR_KEY";
    public const string DefaultGatewayUrl = "http://localhost:8080";

    /// <summary>Runs one rpadmin command line.</summary>
    /// <param name="args">The arguments after the program name, e.g. <c>["tenants", "list"]</c>.</param>
    /// <param name="output">Where results go (stdout).</param>
    /// <param name="error">Where refusals and usage errors go (stderr).</param>
    /// <param name="client">The HTTP client to call the gateway with; one is created (and disposed) when null.</param>
    /// <param name="environment">Reads an environment variable; the process environment when null.</param>
    /// <param name="cancellationToken">Cancels the request in flight.</param>
    /// <returns>One of <see cref="ExitCodes"/>.</returns>
    public static async Task<int> RunAsync(
        string[] args,
        TextWriter output,
        TextWriter error,
        HttpClient? client = null,
        Func<string, string?>? environment = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        var session = new CommandSession(output, error, client, environment ?? Environment.GetEnvironmentVariable);
        var root = AdminCommands.CreateRoot(session);
        var parseResult = root.Parse(args);

        // Help clears parse errors (`rpadmin keys issue --help` needs no tenant id); anything else with errors is a usage error.
        if (parseResult.Errors.Count > 0 && parseResult.Action is not HelpAction)
        {
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync($"Error: {parseError.Message}");
            }

            await error.WriteLineAsync($"Run '{CommandSession.CommandPath(parseResult)} --help' for usage.");
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // Ctrl+C simply ends a short-lived CLI; handling it would also hook the signals of a test host.
            ProcessTerminationTimeout = null,
        };
        return await parseResult.InvokeAsync(invocation, cancellationToken);
    }
}
