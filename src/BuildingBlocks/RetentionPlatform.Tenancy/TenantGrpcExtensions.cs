using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace RetentionPlatform.Tenancy;

/// <summary>Reads the gateway-authenticated tenant on gRPC calls and builds rich errors.</summary>
public static class TenantGrpcExtensions
{
    /// <summary>The caller's tenant, or UNAUTHENTICATED when the call did not come through the gateway.</summary>
    public static string GetTenantId(this ServerCallContext context)
    {
        var tenant = context.RequestHeaders.GetValue(TenantHeaders.Tenant);
        return TenantId.IsValid(tenant)
            ? tenant
            : throw new RpcException(new Grpc.Core.Status(StatusCode.Unauthenticated, "The call carries no authenticated tenant; call the platform through the gateway with an API key."));
    }

    /// <summary>An INVALID_ARGUMENT error with a google.rpc.BadRequest field violation.</summary>
    public static RpcException InvalidArgument(string field, string description) =>
        new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = description,
            Details = { Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = description } } }) },
        }.ToRpcException();
}
