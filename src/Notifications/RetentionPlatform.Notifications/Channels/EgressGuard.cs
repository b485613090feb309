using System.Net;
using System.Net.Sockets;

namespace RetentionPlatform.Notifications.Channels;

/// <summary>
/// Where a tenant's endpoints may lead. Tenants name their own SMTP servers, webhooks and providers, so without this a
/// tenant could make the platform connect to its own internal network (a database, a cloud metadata address) and learn
/// from the answers. Every channel connects through <see cref="ConnectAsync"/>, which resolves the host itself and
/// refuses loopback, private, link-local, carrier-grade NAT, multicast and unspecified addresses, unless
/// <c>Notifications:AllowPrivateNetworkEndpoints</c> is set (development hosts and tests, whose servers are on loopback).
/// Checking the address actually connected to, not the name, also stops a name that resolves differently later.
/// </summary>
public sealed class EgressGuard(bool allowPrivateNetworks)
{
    /// <summary>Whether endpoints on private networks are allowed.</summary>
    public bool AllowPrivateNetworks => allowPrivateNetworks;

    /// <summary>A connected TCP socket to <paramref name="host"/>, or <see cref="EgressRefusedException"/> when it only leads to refused addresses.</summary>
    public async Task<Socket> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var allowed = allowPrivateNetworks ? addresses : addresses.Where(IsPublic).ToArray();
        if (allowed.Length == 0)
        {
            throw new EgressRefusedException($"{host} leads only to addresses on a private network, which tenants' endpoints may not use.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, port, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Whether <paramref name="address"/> is on the public internet.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.None))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127));
        }

        var bytes = address.GetAddressBytes();
        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal || (bytes[0] & 0xfe) == 0xfc);
    }
}
