using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace RetentionPlatform.Tenancy;

/// <summary>Reads the gateway-authenticated tenant on gRPC calls and builds rich errors.</summary>
public static class TenantGrpcExtensions
{
    /// <summary>The caller's tenant, or UNAUTHENTICATED when the call did not come through the gateway (no valid <see cref="GatewayTrust"/> signature).</summary>
    public static string GetTenantId(this ServerCallContext context)
    {
        var tenant = context.RequestHeaders.GetValue(TenantHeaders.Tenant);
        var refusal = context.GetHttpContext().RequestServices.GetGatewayTrust().Verify(tenant, context.RequestHeaders.GetValue(TenantHeaders.GatewaySignature));
        return refusal is null ? tenant! : throw new RpcException(new Grpc.Core.Status(StatusCode.Unauthenticated, refusal));
    }

    /// <summary>An INVALID_ARGUMENT error with a google.rpc.BadRequest field violation.</summary>
    public static RpcException InvalidArgument(string field, string description) =>
        new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = description,
            Details = { Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = description } } }) },
        }.ToRpcException();

    /// <summary>
    /// An INVALID_ARGUMENT error with one google.rpc.BadRequest field violation per message, keyed by the
    /// request field's path (the shape of an HTTP ValidationProblem's <c>errors</c>).
    /// </summary>
    public static RpcException InvalidArgument(IReadOnlyDictionary<string, string[]> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var badRequest = new BadRequest();
        foreach (var (field, descriptions) in violations)
        {
            foreach (var description in descriptions)
            {
                badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description });
            }
        }

        var message = badRequest.FieldViolations.Count == 1
            ? badRequest.FieldViolations[0].Description
            : $"{badRequest.FieldViolations.Count} fields are invalid: {string.Join("; ", badRequest.FieldViolations.Select(v => $"{v.Field}: {v.Description}"))}";
        return new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = message,
            Details = { Any.Pack(badRequest) },
        }.ToRpcException();
    }
}
