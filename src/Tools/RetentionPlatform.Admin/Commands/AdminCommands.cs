using System.CommandLine;

namespace RetentionPlatform.Admin.Commands;

/// <summary>The command tree: <c>rpadmin tenants ...</c> and <c>rpadmin keys ...</c> under the global options.</summary>
internal static class AdminCommands
{
    public static RootCommand CreateRoot(CommandSession session) =>
        new("Manage RetentionPlatform tenants and their API keys through the gateway's admin API.")
        {
            HelpName = "rpadmin",
            Options = { session.Url, session.OperatorKey, session.Json },
            Subcommands = { TenantCommands.Create(session), KeyCommands.Create(session) },
        };
}
