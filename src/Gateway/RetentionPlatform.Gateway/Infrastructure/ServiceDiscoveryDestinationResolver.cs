using System.Net;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.ServiceDiscovery;

namespace RetentionPlatform.Gateway.Infrastructure;

/// <summary>
/// Resolves YARP destinations such as <c>http://_grpc.profiles</c> through .NET service discovery
/// (<c>services__profiles__grpc__0</c> in the Aspire contract). Microsoft.Extensions.ServiceDiscovery.Yarp
/// does this upstream but is not available to us, so this is the small part of it we need.
/// Addresses that are already concrete (a host with a port, or an IP) pass through untouched.
/// </summary>
public sealed class ServiceDiscoveryDestinationResolver(ServiceEndpointResolver resolver) : IDestinationResolver
{
    public async ValueTask<ResolvedDestinationCollection> ResolveDestinationsAsync(IReadOnlyDictionary<string, DestinationConfig> destinations, CancellationToken cancellationToken)
    {
        var resolved = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal);
        var changeTokens = new List<IChangeToken>();
        foreach (var (name, destination) in destinations)
        {
            var uri = new Uri(destination.Address);
            if (!uri.IsDefaultPort || IPAddress.TryParse(uri.Host, out _) || uri.IsLoopback)
            {
                resolved[name] = destination;
                continue;
            }

            var source = await resolver.GetEndpointsAsync(destination.Address, cancellationToken);
            changeTokens.Add(source.ChangeToken);
            var index = 0;
            foreach (var endpoint in source.Endpoints)
            {
                var address = endpoint.EndPoint switch
                {
                    UriEndPoint u => u.Uri.ToString(),
                    IPEndPoint ip => $"{uri.Scheme}://{ip}",
                    DnsEndPoint dns => $"{uri.Scheme}://{dns.Host}:{dns.Port}",
                    var other => $"{uri.Scheme}://{other}",
                };
                resolved[$"{name}[{index++}]"] = destination with { Address = address, Host = destination.Host };
            }
        }

        IChangeToken? changeToken = changeTokens.Count switch
        {
            0 => null,
            1 => changeTokens[0],
            _ => new CompositeChangeToken(changeTokens),
        };
        return new ResolvedDestinationCollection(resolved, changeToken);
    }
}
