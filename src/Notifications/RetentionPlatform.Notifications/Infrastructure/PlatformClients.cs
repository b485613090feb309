using Grpc.Core;
using Grpc.Net.Client;
using RetentionPlatform.Contracts.Profiles.V1;
using RetentionPlatform.Tenancy;
using RetentionPlatform.Contracts.Recommendations.V1;
using RetentionPlatform.Notifications.Model;
using ProfilesApi = RetentionPlatform.Contracts.Profiles.V1.Profiles;
using RecommendationsApi = RetentionPlatform.Contracts.Recommendations.V1.Recommendations;
using SchedulingApi = RetentionPlatform.Contracts.Scheduling.V1.Scheduling;

namespace RetentionPlatform.Notifications.Infrastructure;

/// <summary>
/// The gRPC services Notifications calls: Profiles (the contact decision, the profile to personalise from, human
/// requests) and Scheduling (a customer cancelling from a reminder). Each call carries the tenant signed with the
/// platform's shared secret, exactly as the gateway signs it, and a deadline. The channels are built here rather
/// than through the HTTP client factory: the factory's default resilience handler would retry a DecideContact on its
/// own schedule, and the pipeline decides itself when to ask again.
/// </summary>
public sealed class PlatformClients : IDisposable
{
    /// <summary>How long one call may take before the pipeline treats the service as unavailable.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly GrpcChannel _profilesChannel;
    private readonly GrpcChannel? _schedulingChannel;
    private readonly GrpcChannel? _recommendationsChannel;
    private readonly GatewayTrust _trust;
    private readonly TimeProvider _time;

    public PlatformClients(Uri profilesUrl, Uri? schedulingUrl, Uri? recommendationsUrl, GatewayTrust trust, TimeProvider time)
    {
        _trust = trust;
        _time = time;
        _profilesChannel = Channel(profilesUrl);
        Profiles = new ProfilesApi.ProfilesClient(_profilesChannel);
        if (schedulingUrl is not null)
        {
            _schedulingChannel = Channel(schedulingUrl);
            Scheduling = new SchedulingApi.SchedulingClient(_schedulingChannel);
        }

        if (recommendationsUrl is not null)
        {
            _recommendationsChannel = Channel(recommendationsUrl);
            Recommendations = new RecommendationsApi.RecommendationsClient(_recommendationsChannel);
        }
    }

    public ProfilesApi.ProfilesClient Profiles { get; }

    /// <summary>Null when no Scheduling service is configured (<c>services:scheduling:grpc:0</c>).</summary>
    public SchedulingApi.SchedulingClient? Scheduling { get; }

    /// <summary>Null when no Recommendations service is configured (<c>services:recommendations:grpc:0</c>).</summary>
    public RecommendationsApi.RecommendationsClient? Recommendations { get; }

    /// <summary>The call options for one call on behalf of <paramref name="tenantId"/>.</summary>
    public CallOptions For(string tenantId, CancellationToken ct) => new(
        new Metadata { { TenantHeaders.Tenant, tenantId }, { TenantHeaders.GatewaySignature, _trust.Sign(tenantId) } },
        _time.GetUtcNow().UtcDateTime + Deadline,
        ct);

    /// <summary>The customer's profile, or null when Profiles knows nothing about them (or they were erased).</summary>
    public async Task<CustomerProfile?> GetProfileAsync(string tenantId, string customerId, CancellationToken ct)
    {
        try
        {
            return await Profiles.GetProfileAsync(new GetProfileRequest { CustomerId = customerId }, For(tenantId, ct));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Up to <paramref name="limit"/> items recommended for the customer; empty when no Recommendations service is
    /// configured or it does not answer (a message is not held back for want of suggestions).
    /// </summary>
    public async Task<IReadOnlyList<RecommendedItem>> RecommendAsync(string tenantId, string customerId, int limit, CancellationToken ct)
    {
        if (Recommendations is null)
        {
            return [];
        }

        try
        {
            var list = await Recommendations.RecommendForCustomerAsync(new RecommendForCustomerRequest { CustomerId = customerId, Limit = limit }, For(tenantId, ct));
            return list.Items.Select(r => new RecommendedItem(
                r.Item.ItemId, r.Item.Name, string.IsNullOrEmpty(r.Item.Category) ? null : r.Item.Category,
                r.Item.HasPrice ? r.Item.Price.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : null, null)).ToList();
        }
        catch (RpcException e) when (e.StatusCode is not StatusCode.Cancelled)
        {
            return [];
        }
    }

    public void Dispose()
    {
        _profilesChannel.Dispose();
        _schedulingChannel?.Dispose();
        _recommendationsChannel?.Dispose();
    }

    private static GrpcChannel Channel(Uri address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            // Thousands of calls a second share a few HTTP/2 connections instead of queueing on one's stream limit.
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        },
        DisposeHttpClient = true,
    });
}
