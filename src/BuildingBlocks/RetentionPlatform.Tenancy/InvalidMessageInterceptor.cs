using Grpc.Core;
using Grpc.Core.Interceptors;

namespace RetentionPlatform.Tenancy;

/// <summary>
/// A streamed request message that does not parse (read inside the handler, where <see cref="GrpcRequestValidation"/>
/// cannot look) is the caller's mistake: INVALID_ARGUMENT saying so, instead of UNKNOWN and an error log.
/// </summary>
public sealed class InvalidMessageInterceptor : Interceptor
{
    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception ex) when (IsInvalidMessage(ex))
        {
            throw Invalid(ex);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception ex) when (IsInvalidMessage(ex))
        {
            throw Invalid(ex);
        }
    }

    private static bool IsInvalidMessage(Exception ex) =>
        ex is Google.Protobuf.InvalidProtocolBufferException or InvalidDataException
        || (ex is InvalidOperationException && ex.InnerException is Google.Protobuf.InvalidProtocolBufferException or InvalidDataException);

    private static RpcException Invalid(Exception ex) =>
        new(new Status(StatusCode.InvalidArgument, $"A request message is not valid: {(ex.InnerException ?? ex).Message}"));
}
