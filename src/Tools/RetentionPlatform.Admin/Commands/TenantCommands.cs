using System.CommandLine;
using System.Text.Json.Nodes;
using RetentionPlatform.Admin.Model;
using RetentionPlatform.Admin.Output;

namespace RetentionPlatform.Admin.Commands;

/// <summary><c>rpadmin tenants ...</c>: create, list, show, suspend, activate, set-limit.</summary>
internal static class TenantCommands
{
    private const string DefaultLimit = "default";

    public static Command Create(CommandSession session) => new("tenants", "Create, list and change tenants")
    {
        CreateTenant(session),
        List(session),
        Show(session),
        SetStatus(session, "suspend", "suspended", "Suspend a tenant: its API keys stop working until it is activated"),
        SetStatus(session, "activate", "active", "Activate a suspended tenant again"),
        SetLimit(session),
    };

    private static Argument<string> TenantId() => new("id") { Description = "The tenant's id, e.g. acme" };

    private static Command CreateTenant(CommandSession session)
    {
        var id = TenantId();
        var name = new Option<string>("--name") { Description = "The tenant's display name", HelpName = "name", Required = true };
        var command = new Command("create", "Create a tenant") { id, name };
        var limit = new RateLimitOptions(command, "The tenant's");
        command.SetAction(session.Action(async run =>
        {
            var tenantName = run.Get(name);
            if (string.IsNullOrWhiteSpace(tenantName))
            {
                throw new UsageException("--name must not be empty.");
            }

            var request = new CreateTenantRequest(run.Get(id), tenantName, limit.Read(run));
            var response = await run.Api.CreateTenantAsync(request, run.CancellationToken);
            run.Print(response, tenant =>
            {
                run.Output.WriteLine($"Created tenant {tenant.Id}.");
                run.Output.WriteLine();
                WriteTenant(run.Output, tenant);
            });
        }));
        return command;
    }

    private static Command List(CommandSession session)
    {
        var command = new Command("list", "List the tenants");
        command.SetAction(session.Action(async run =>
        {
            var response = await run.Api.ListTenantsAsync(run.CancellationToken);
            run.Print(response, list =>
            {
                if (list.Tenants.Count == 0)
                {
                    run.Output.WriteLine("No tenants.");
                    return;
                }

                var table = new TextTable("ID", "NAME", "STATUS", "RATE LIMIT", "CREATED");
                foreach (var tenant in list.Tenants)
                {
                    table.AddRow(tenant.Id, tenant.Name, tenant.Status, Formats.Limit(tenant.RateLimit, DefaultLimit), Formats.Moment(tenant.CreatedAt));
                }

                table.WriteTo(run.Output);
            });
        }));
        return command;
    }

    private static Command Show(CommandSession session)
    {
        var id = TenantId();
        var command = new Command("show", "Show one tenant") { id };
        command.SetAction(session.Action(async run =>
        {
            var response = await run.Api.GetTenantAsync(run.Get(id), run.CancellationToken);
            run.Print(response, tenant => WriteTenant(run.Output, tenant));
        }));
        return command;
    }

    private static Command SetStatus(CommandSession session, string verb, string status, string description)
    {
        var id = TenantId();
        var command = new Command(verb, description) { id };
        command.SetAction(session.Action(async run =>
        {
            var response = await run.Api.PatchTenantAsync(run.Get(id), new JsonObject { ["status"] = status }, run.CancellationToken);
            run.Print(response, tenant =>
            {
                run.Output.WriteLine($"Tenant {tenant.Id} is {tenant.Status}.");
                run.Output.WriteLine();
                WriteTenant(run.Output, tenant);
            });
        }));
        return command;
    }

    private static Command SetLimit(CommandSession session)
    {
        var id = TenantId();
        var clear = new Option<bool>("--clear") { Description = "Remove the tenant's own limit: the gateway default applies" };
        var command = new Command("set-limit", "Set or clear a tenant's rate limit") { id, clear };
        var limit = new RateLimitOptions(command, "The tenant's");
        command.SetAction(session.Action(async run =>
        {
            var rateLimit = limit.Read(run);
            JsonObject patch = (rateLimit, run.Get(clear)) switch
            {
                (null, false) => throw new UsageException("Give --rate and --burst, or --clear."),
                (not null, true) => throw new UsageException("--clear cannot be combined with --rate and --burst."),
                (null, true) => new JsonObject { ["rateLimit"] = null },
                ({ } l, false) => new JsonObject
                {
                    ["rateLimit"] = new JsonObject { ["permitsPerSecond"] = l.PermitsPerSecond, ["burst"] = l.Burst },
                },
            };
            var response = await run.Api.PatchTenantAsync(run.Get(id), patch, run.CancellationToken);
            run.Print(response, tenant =>
            {
                run.Output.WriteLine($"Tenant {tenant.Id} rate limit: {Formats.Limit(tenant.RateLimit, DefaultLimit)}.");
                run.Output.WriteLine();
                WriteTenant(run.Output, tenant);
            });
        }));
        return command;
    }

    private static void WriteTenant(TextWriter output, Tenant tenant) =>
        new TextTable()
            .AddRow("Id", tenant.Id)
            .AddRow("Name", tenant.Name)
            .AddRow("Status", tenant.Status)
            .AddRow("Rate limit", Formats.Limit(tenant.RateLimit, DefaultLimit))
            .AddRow("Created", Formats.Moment(tenant.CreatedAt))
            .WriteTo(output);
}
