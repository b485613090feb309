using System.CommandLine;
using RetentionPlatform.Admin.Model;
using RetentionPlatform.Admin.Output;

namespace RetentionPlatform.Admin.Commands;

/// <summary><c>rpadmin keys ...</c>: issue, list, revoke a tenant's API keys.</summary>
internal static class KeyCommands
{
    private const string TenantLimit = "tenant's";

    public static Command Create(CommandSession session) => new("keys", "Issue, list and revoke a tenant's API keys")
    {
        Issue(session),
        List(session),
        Revoke(session),
    };

    private static Argument<string> TenantId() => new("tenantId") { Description = "The tenant's id, e.g. acme" };

    private static Command Issue(CommandSession session)
    {
        var tenantId = TenantId();
        var name = new Option<string>("--name") { Description = "What the key is for, e.g. \"web shop\"", HelpName = "name", Required = true };
        var scopes = new Option<string[]>("--scopes")
        {
            Description = $"What the key may do, comma-separated: {string.Join(", ", Scopes.All)}",
            HelpName = "scopes",
            Required = true,
        };
        var command = new Command("issue", "Issue an API key; the key is shown once") { tenantId, name, scopes };
        var limit = new RateLimitOptions(command, "The key's");
        command.SetAction(session.Action(async run =>
        {
            var keyName = run.Get(name);
            if (string.IsNullOrWhiteSpace(keyName))
            {
                throw new UsageException("--name must not be empty.");
            }

            var request = new IssueKeyRequest(keyName, ParseScopes(run.Get(scopes) ?? []), limit.Read(run));
            var response = await run.Api.IssueKeyAsync(run.Get(tenantId), request, run.CancellationToken);
            run.Print(response, key =>
            {
                run.Output.WriteLine($"Issued key \"{key.Name}\" for tenant {run.Get(tenantId)}:");
                run.Output.WriteLine();
                run.Output.WriteLine($"    {key.Key}");
                run.Output.WriteLine();
                run.Output.WriteLine("Copy it now: this key will not be shown again. Only its prefix is kept, to list and revoke it.");
                run.Output.WriteLine();
                new TextTable()
                    .AddRow("Prefix", key.Prefix)
                    .AddRow("Scopes", Formats.List(key.Scopes))
                    .AddRow("Rate limit", Formats.Limit(key.RateLimit, TenantLimit))
                    .AddRow("Created", Formats.Moment(key.CreatedAt))
                    .WriteTo(run.Output);
            });
        }));
        return command;
    }

    private static Command List(CommandSession session)
    {
        var tenantId = TenantId();
        var command = new Command("list", "List a tenant's keys (prefixes only)") { tenantId };
        command.SetAction(session.Action(async run =>
        {
            var response = await run.Api.ListKeysAsync(run.Get(tenantId), run.CancellationToken);
            run.Print(response, list =>
            {
                if (list.Keys.Count == 0)
                {
                    run.Output.WriteLine($"Tenant {run.Get(tenantId)} has no keys.");
                    return;
                }

                var table = new TextTable("PREFIX", "NAME", "SCOPES", "RATE LIMIT", "CREATED", "REVOKED");
                foreach (var key in list.Keys)
                {
                    table.AddRow(
                        key.Prefix,
                        key.Name,
                        Formats.List(key.Scopes),
                        Formats.Limit(key.RateLimit, TenantLimit),
                        Formats.Moment(key.CreatedAt),
                        Formats.Moment(key.RevokedAt));
                }

                table.WriteTo(run.Output);
            });
        }));
        return command;
    }

    private static Command Revoke(CommandSession session)
    {
        var tenantId = TenantId();
        var prefix = new Argument<string>("prefix") { Description = "The key's prefix as keys list shows it, e.g. rpk_ab12cd34" };
        var command = new Command("revoke", "Revoke a key: it stops working at once") { tenantId, prefix };
        command.SetAction(session.Action(async run =>
        {
            await run.Api.RevokeKeyAsync(run.Get(tenantId), run.Get(prefix), run.CancellationToken);

            // 204 has no body: with --json the exit code is the answer.
            if (!run.Json)
            {
                run.Output.WriteLine($"Revoked key {run.Get(prefix)} of tenant {run.Get(tenantId)}.");
            }
        }));
        return command;
    }

    /// <summary>Accepts <c>--scopes ingest,read</c> as well as <c>--scopes ingest --scopes read</c>.</summary>
    private static List<string> ParseScopes(IEnumerable<string> given)
    {
        var scopes = given
            .SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(scope => scope.ToLowerInvariant())
            .Distinct()
            .ToList();
        var valid = string.Join(", ", Scopes.All);
        if (scopes.Count == 0)
        {
            throw new UsageException($"--scopes needs at least one of: {valid}.");
        }

        if (scopes.FirstOrDefault(scope => !Scopes.All.Contains(scope)) is { } unknown)
        {
            throw new UsageException($"Unknown scope '{unknown}'. A key's scopes are: {valid}.");
        }

        return scopes;
    }
}
