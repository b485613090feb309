using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace RetentionPlatform.Tenancy;

/// <summary>
/// Proves to a service that a call came through the gateway: the gateway signs the authenticated tenant with a
/// secret it shares with the services (<c>Platform:GatewaySecret</c>, at least 32 characters) and sends the
/// signature as <see cref="TenantHeaders.GatewaySignature"/>: <c>v1.&lt;unix seconds&gt;.&lt;base64url HMAC-SHA256
/// of "v1.&lt;unix seconds&gt;.&lt;tenant&gt;"&gt;</c>. A service accepts the tenant header only with a valid
/// signature no older than <see cref="MaxAge"/>, so a caller that reaches a service directly (or replays an old
/// header, or swaps the tenant) is refused. Without a configured secret a service refuses every tenant call.
/// </summary>
public sealed class GatewayTrust
{
    /// <summary>The configuration key of the shared secret (<c>Platform__GatewaySecret</c> in the environment).</summary>
    public const string SecretKey = "Platform:GatewaySecret";

    /// <summary>The shortest secret accepted.</summary>
    public const int MinimumSecretLength = 32;

    /// <summary>How old (or how far in the future, for clock skew) a signature may be.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private const string Version = "v1";
    private readonly byte[]? _key;
    private readonly TimeProvider _time;

    public GatewayTrust(string? secret, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        if (!string.IsNullOrEmpty(secret))
        {
            if (secret.Length < MinimumSecretLength)
            {
                throw new InvalidOperationException($"{SecretKey} must be at least {MinimumSecretLength} characters.");
            }

            _key = Encoding.UTF8.GetBytes(secret);
        }
    }

    /// <summary>Whether a secret is configured (without one, nothing can be signed or verified).</summary>
    public bool IsConfigured => _key is not null;

    /// <summary>A fresh random secret (for hosts that start the gateway and the services together).</summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The signature header value for <paramref name="tenant"/>, valid for <see cref="MaxAge"/>.</summary>
    public string Sign(string tenant)
    {
        var key = _key ?? throw new InvalidOperationException($"No gateway secret is configured ({SecretKey}).");
        var seconds = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"{Version}.{seconds}.{Mac(key, seconds, tenant)}";
    }

    /// <summary>
    /// Returns null when <paramref name="signature"/> is a valid, current signature of <paramref name="tenant"/>,
    /// else a sentence saying why the call is refused.
    /// </summary>
    public string? Verify(string? tenant, string? signature)
    {
        if (_key is null)
        {
            return $"The service has no gateway secret configured ({SecretKey}), so it accepts no tenant calls.";
        }

        if (!TenantId.IsValid(tenant) || string.IsNullOrEmpty(signature))
        {
            return "The call carries no authenticated tenant; call the platform through the gateway with an API key.";
        }

        var parts = signature.Split('.');
        if (parts.Length != 3 || parts[0] != Version
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return "The gateway signature is malformed.";
        }

        var age = _time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
        if (age.Duration() > MaxAge)
        {
            return "The gateway signature has expired.";
        }

        var expected = Encoding.ASCII.GetBytes(Mac(_key, parts[1], tenant));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[2]))
            ? null
            : "The gateway signature does not match the tenant.";
    }

    private static string Mac(byte[] key, string seconds, string tenant) =>
        Base64Url(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{Version}.{seconds}.{tenant}")));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Registers <see cref="GatewayTrust"/> from configuration.</summary>
public static class GatewayTrustExtensions
{
    public static IHostApplicationBuilder AddGatewayTrust(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(provider => new GatewayTrust(
            provider.GetRequiredService<IConfiguration>()[GatewayTrust.SecretKey],
            provider.GetService<TimeProvider>()));
        return builder;
    }

    /// <summary>The registered <see cref="GatewayTrust"/>; a service that forgot <see cref="AddGatewayTrust"/> fails loudly.</summary>
    internal static GatewayTrust GetGatewayTrust(this IServiceProvider services) =>
        services.GetService<GatewayTrust>()
        ?? throw new InvalidOperationException("Call builder.AddGatewayTrust() in the service's registrations.");
}
