using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Reflection;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace RetentionPlatform.Tenancy;

/// <summary>
/// Checks a unary gRPC request before grpc-dotnet reads it: one whole frame (5-byte header, then exactly the length
/// it announces), a known compression flag, and a message that parses as the method's request type. grpc-dotnet
/// answers such mistakes with INTERNAL ("Incomplete message") or UNKNOWN (a parse exception in the handler) and
/// logs an error per call; a caller's bad bytes are its mistake, so they get INVALID_ARGUMENT saying what is wrong.
/// Streaming methods are not read ahead: only the compression flag of a first frame already received is checked
/// (a message that does not parse is turned into INVALID_ARGUMENT by <see cref="InvalidMessageInterceptor"/>).
/// </summary>
public static class GrpcRequestValidation
{
    /// <summary>The largest unary request read (grpc-dotnet's default receive limit).</summary>
    public const int MaxMessageBytes = 4 * 1024 * 1024;

    private static readonly ConcurrentDictionary<IMethod, Func<byte[], object?>> Parsers = new();

    public static IApplicationBuilder UseGrpcRequestValidation(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var method = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method;
            if (method is null || context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true)
            {
                await next(context);
                return;
            }

            if (method.Type != MethodType.Unary)
            {
                // A stream is not read ahead; only a first frame already at hand has its compression flag checked.
                if (context.Request.BodyReader.TryRead(out var first))
                {
                    var flag = first.Buffer.IsEmpty ? (byte)0 : first.Buffer.FirstSpan[0];
                    context.Request.BodyReader.AdvanceTo(first.Buffer.Start);
                    if (flag > 1 || (flag == 1 && !string.Equals(context.Request.Headers["grpc-encoding"].ToString(), "gzip", StringComparison.OrdinalIgnoreCase)))
                    {
                        await RefuseAsync(context, $"The first frame's compression flag is {flag} without a gzip grpc-encoding.");
                        return;
                    }
                }

                await next(context);
                return;
            }

            using var copy = new MemoryStream();
            try
            {
                await context.Request.BodyReader.CopyToAsync(new LimitedStream(copy, MaxMessageBytes + 5), context.RequestAborted);
            }
            catch (IOException)
            {
                await RefuseAsync(context, $"The request is larger than {MaxMessageBytes} bytes or was broken off.");
                return;
            }

            var problem = Check(method, copy.GetBuffer().AsSpan(0, (int)copy.Length), context.Request.Headers["grpc-encoding"].ToString());
            if (problem is not null)
            {
                await RefuseAsync(context, problem);
                return;
            }

            // grpc-dotnet reads the body through the request's pipe: hand it the bytes already read.
            copy.Position = 0;
            context.Request.Body = copy;
            context.Features.Set<IRequestBodyPipeFeature>(new BufferedBody(PipeReader.Create(copy)));
            await next(context);
        });

    private static string? Check(IMethod method, ReadOnlySpan<byte> body, string encoding)
    {
        if (body.Length < 5)
        {
            return "The request holds no complete gRPC message (a 5-byte frame header and the message).";
        }

        var compressed = body[0];
        var length = BinaryPrimitives.ReadUInt32BigEndian(body[1..5]);
        if (compressed > 1)
        {
            return $"The frame's compression flag is {compressed}; it must be 0 or 1.";
        }

        if (length != body.Length - 5)
        {
            return length > body.Length - 5
                ? $"The frame announces {length} bytes but only {body.Length - 5} follow."
                : "A unary call carries exactly one message; more data follows it.";
        }

        byte[] message;
        if (compressed == 1)
        {
            if (!string.Equals(encoding, "gzip", StringComparison.OrdinalIgnoreCase))
            {
                return $"The message is marked compressed, but its grpc-encoding '{encoding}' is not gzip.";
            }

            try
            {
                using var gzip = new GZipStream(new MemoryStream(body[5..].ToArray()), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                gzip.CopyTo(plain);
                message = plain.ToArray();
            }
            catch (InvalidDataException)
            {
                return "The message is marked gzip-compressed but is not valid gzip data.";
            }
        }
        else
        {
            message = body[5..].ToArray();
        }

        try
        {
            Parsers.GetOrAdd(method, ParserFor)(message);
            return null;
        }
        catch (Exception ex) when (ex is Google.Protobuf.InvalidProtocolBufferException or InvalidDataException or ArgumentException or InvalidOperationException)
        {
            return $"The message is not a valid {method.FullName} request: {ex.Message}";
        }
    }

    private static Func<byte[], object?> ParserFor(IMethod method)
    {
        // IMethod is a Method<TRequest, TResponse>; generated protobuf request types carry a static Parser.
        var marshaller = method.GetType().GetProperty("RequestMarshaller")!.GetValue(method)!;
        var requestType = marshaller.GetType().GetGenericArguments()[0];
        return requestType.GetProperty("Parser", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is Google.Protobuf.MessageParser parser
            ? bytes => parser.ParseFrom(bytes)
            : _ => null;
    }

    private sealed class BufferedBody(PipeReader reader) : IRequestBodyPipeFeature
    {
        public PipeReader Reader { get; } = reader;
    }

    /// <summary>Writes through to a stream until a limit, then fails like a too-large body.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _written;

        public override long Position { get => _written; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _written += buffer.Length;
            if (_written > limit)
            {
                throw new IOException("The request body is too large.");
            }

            inner.Write(buffer);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }
    }

    private static Task RefuseAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = "3";
        context.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        return Task.CompletedTask;
    }
}
