using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RetentionPlatform.Contracts.Profiles.V1;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Profiles.Grpc;

/// <summary>The <c>retention.profiles.v1.Profiles</c> gRPC service: reads through the customer's grain.</summary>
public sealed class ProfilesGrpcService(IGrainFactory grains) : Contracts.Profiles.V1.Profiles.ProfilesBase
{
    public override async Task<CustomerProfile> GetProfile(GetProfileRequest request, ServerCallContext context)
    {
        var tenant = context.GetTenantId();
        if (CustomerId.Validate(request.CustomerId) is { } problem)
        {
            throw TenantGrpcExtensions.InvalidArgument("customer_id", problem);
        }

        var view = await grains.GetGrain<ICustomerGrain>(CustomerGrainKey.For(tenant, request.CustomerId)).GetProfileAsync()
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"Customer '{request.CustomerId}' was not found."));

        return new CustomerProfile
        {
            CustomerId = view.CustomerId,
            EventCount = view.EventCount,
            FirstSeen = Timestamp.FromDateTimeOffset(view.FirstSeen),
            LastSeen = Timestamp.FromDateTimeOffset(view.LastSeen),
            LastEventType = view.LastEventType,
        };
    }
}
