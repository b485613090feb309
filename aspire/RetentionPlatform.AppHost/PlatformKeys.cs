using System.Security.Cryptography;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace RetentionPlatform.AppHost;

/// <summary>
/// The platform's keys as Aspire parameters, and how each service is given what it needs of them.
/// <list type="bullet">
/// <item><c>gateway-secret</c>: the secret the gateway signs each call's tenant with and every service checks
/// (<c>Platform__GatewaySecret</c>); generated once and kept in the AppHost's user secrets.</item>
/// <item><c>notifications-master-key</c>: generated and kept the same way; the Notifications service gets 32 bytes
/// derived from it, in base64 (<c>Notifications__MasterKey</c>), so links already sent keep working between runs.</item>
/// <item><c>demo-api-key</c>, <c>other-api-key</c>, <c>operator-key</c>: from configuration (appsettings.json has the
/// development keys the standalone host prints); the gateway is given only their SHA-256.</item>
/// </list>
/// </summary>
internal sealed record PlatformKeys(
    IResourceBuilder<ParameterResource> GatewaySecret,
    IResourceBuilder<ParameterResource> NotificationsMasterKey,
    IResourceBuilder<ParameterResource> DemoApiKey,
    IResourceBuilder<ParameterResource> OtherApiKey,
    IResourceBuilder<ParameterResource> OperatorKey)
{
    public static PlatformKeys Add(IDistributedApplicationBuilder builder) => new(
        builder.AddParameter("gateway-secret", new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true),
        builder.AddParameter("notifications-master-key", new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true),
        builder.AddParameter("demo-api-key", secret: true),
        builder.AddParameter("other-api-key", secret: true),
        builder.AddParameter("operator-key", secret: true));
}

/// <summary>How the keys reach the services.</summary>
internal static class PlatformKeyExtensions
{
    /// <summary>The shared gateway secret (<c>Platform__GatewaySecret</c>): the gateway signs with it, services check it.</summary>
    public static IResourceBuilder<ProjectResource> WithGatewayTrust(this IResourceBuilder<ProjectResource> builder, PlatformKeys keys) =>
        builder.WithEnvironment("Platform__GatewaySecret", keys.GatewaySecret);

    /// <summary><c>Notifications__MasterKey</c>: 32 bytes derived from the generated parameter, in base64.</summary>
    public static IResourceBuilder<ProjectResource> WithNotificationsMasterKey(this IResourceBuilder<ProjectResource> builder, PlatformKeys keys) =>
        builder.WithEnvironment(async context =>
        {
            if (context.ExecutionContext.IsPublishMode)
            {
                return; // A derived secret must not be written into a publish manifest; deployments set it themselves.
            }

            var secret = await keys.NotificationsMasterKey.Resource.GetValueAsync(context.CancellationToken) ?? "";
            context.EnvironmentVariables["Notifications__MasterKey"] = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        });

    /// <summary>
    /// The gateway's bootstrap keys (tenant <c>demo</c> and tenant <c>other</c>, every scope) and its operator credential,
    /// each as the hex SHA-256 the gateway stores (the same hashing as the gateway's <c>ApiKeyHasher</c>).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDevelopmentApiKeys(this IResourceBuilder<ProjectResource> builder, PlatformKeys keys) =>
        builder.WithEnvironment(async context =>
        {
            if (context.ExecutionContext.IsPublishMode)
            {
                return; // Development keys are for running locally, never for a publish manifest.
            }

            var variables = context.EnvironmentVariables;
            variables["Gateway__ApiKeys__dev0__Tenant"] = "demo";
            variables["Gateway__ApiKeys__dev0__Sha256"] = await Sha256Async(keys.DemoApiKey, context.CancellationToken);
            variables["Gateway__ApiKeys__dev1__Tenant"] = "other";
            variables["Gateway__ApiKeys__dev1__Sha256"] = await Sha256Async(keys.OtherApiKey, context.CancellationToken);
            variables["Gateway__Operator__Sha256"] = await Sha256Async(keys.OperatorKey, context.CancellationToken);
        });

    private static async Task<string> Sha256Async(IResourceBuilder<ParameterResource> key, CancellationToken cancellationToken)
    {
        var value = await key.Resource.GetValueAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Set the parameter '{key.Resource.Name}' (Parameters:{key.Resource.Name}).");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
    }
}
