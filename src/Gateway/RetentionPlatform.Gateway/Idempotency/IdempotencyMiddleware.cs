using System.Buffers;
using System.Buffers.Binary;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using RetentionPlatform.Gateway.Authentication;
using RetentionPlatform.Gateway.Protection;
using Yarp.ReverseProxy.Forwarder;

namespace RetentionPlatform.Gateway.Idempotency;

/// <summary>
/// Honours <c>Idempotency-Key</c> on authenticated POST requests, per tenant: the first request with a key runs
/// and its response is stored as it streams to the client; the same request again gets that response replayed
/// (<c>Idempotent-Replayed: true</c>) without reaching the backend; a different request with the key gets 422,
/// and one arriving while the first still runs gets 409. Responses worth retrying (5xx, 429, 401, 403, 408) are
/// not stored, so a retry runs again. gRPC calls pass through: their status travels in trailers, which are not stored.
/// </summary>
internal sealed partial class IdempotencyMiddleware(
    RequestDelegate next,
    IdempotencyStore store,
    IProblemDetailsService problemDetails,
    IOptions<IdempotencyOptions> options,
    TimeProvider time,
    ILogger<IdempotencyMiddleware> logger)
{
    public const string KeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    private const int MaxKeyLength = 255;
    private const int ClaimAttempts = 3;
    private const int HashChunkBytes = 16 * 1024;

    // Headers that describe the stored representation or what the client should do next; nothing per-connection
    // (Date, Server) or per-request (trace ids), which the replay gets afresh.
    private static readonly string[] ReplayableHeaders =
    [
        HeaderNames.Location, HeaderNames.ContentLocation, HeaderNames.ContentLanguage, HeaderNames.ContentEncoding,
        HeaderNames.ETag, HeaderNames.LastModified, HeaderNames.RetryAfter,
    ];

    private readonly IdempotencyOptions _options = options.Value;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method)
            || !request.Headers.TryGetValue(KeyHeader, out var keys)
            || context.User.FindFirst(ApiKeyAuthenticationHandler.TenantClaim)?.Value is not { } tenant
            || IsGrpc(request)
            || context.IsPublicRoute())
        {
            await next(context);
            return;
        }

        if (keys.Count != 1 || keys[0] is not { } key || !IsValidKey(key))
        {
            await WriteProblemAsync(
                context, StatusCodes.Status400BadRequest, "Invalid Idempotency-Key",
                $"Send one Idempotency-Key of 1 to {MaxKeyLength} printable ASCII characters, such as a UUID.");
            return;
        }

        byte[] fingerprint;
        try
        {
            fingerprint = await FingerprintAsync(request, context.RequestAborted);
        }
        catch (BadHttpRequestException e)
        {
            var title = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large" : "The request body could not be read";
            await WriteProblemAsync(context, e.StatusCode, title, e.Message);
            return;
        }

        var claim = new IdempotencyClaim(tenant, key, fingerprint, Guid.CreateVersion7(time.GetUtcNow()));
        bool claimed;
        IdempotencyRecord? existing;
        try
        {
            (claimed, existing) = await ClaimOrFindAsync(claim, context.RequestAborted);
        }
        catch (DbException e)
        {
            LogStoreUnavailable(logger, e, tenant);
            context.Response.Headers.RetryAfter = "1";
            await WriteProblemAsync(
                context, StatusCodes.Status503ServiceUnavailable, "Idempotency records are unavailable",
                "The request was not run because its Idempotency-Key could not be checked; retry it later.");
            return;
        }

        if (claimed)
        {
            await RunAndStoreAsync(context, claim);
        }
        else if (existing is not null && !existing.Fingerprint.AsSpan().SequenceEqual(fingerprint))
        {
            LogKeyReused(logger, tenant);
            await WriteProblemAsync(
                context, StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                "The Idempotency-Key was already used with a different request (method, path, query or body).");
        }
        else if (existing?.Response is { } stored)
        {
            LogReplayed(logger, tenant, stored.StatusCode);
            await ReplayAsync(context, stored);
        }
        else
        {
            context.Response.Headers.RetryAfter = "1";
            await WriteProblemAsync(
                context, StatusCodes.Status409Conflict, "Request in progress",
                "A request with this Idempotency-Key is still being processed; retry it shortly to get its response.");
        }
    }

    private async Task<(bool Claimed, IdempotencyRecord? Existing)> ClaimOrFindAsync(IdempotencyClaim claim, CancellationToken ct)
    {
        // A row found missing was released (its response was not stored) or expired between the two statements:
        // claiming again is right, and a few attempts settle any race.
        for (var attempt = 0; attempt < ClaimAttempts; attempt++)
        {
            var now = time.GetUtcNow();
            if (await store.TryClaimAsync(claim, now, now - _options.Retention, now - _options.StaleClaimTimeout, ct))
            {
                return (true, null);
            }

            if (await store.FindAsync(claim.Tenant, claim.Key, ct) is { } existing)
            {
                return (false, existing);
            }
        }

        return (false, null);
    }

    private async Task RunAndStoreAsync(HttpContext context, IdempotencyClaim claim)
    {
        var response = context.Response;
        var clientBody = response.Body;
        using var capture = new ResponseCaptureStream(clientBody, _options.MaxStoredResponseBytes);
        response.Body = capture;
        try
        {
            await next(context);
        }
        catch
        {
            await ReleaseAsync(claim, "the request failed");
            throw;
        }
        finally
        {
            response.Body = clientBody;
        }

        var reason = NotStoredReason(context, capture);
        if (reason is not null)
        {
            await ReleaseAsync(claim, reason);
            return;
        }

        var stored = new StoredResponse(
            response.StatusCode,
            response.ContentType,
            [.. ReplayableHeaders
                .Where(name => response.Headers.ContainsKey(name))
                .Select(name => KeyValuePair.Create(name, response.Headers[name].ToString()))],
            capture.Captured);
        try
        {
            // The response is already on its way to the client; its abort must not lose the record.
            if (!await store.CompleteAsync(claim, stored, time.GetUtcNow(), CancellationToken.None))
            {
                LogClaimLost(logger, claim.Tenant);
            }
        }
        catch (DbException e)
        {
            // The claim stays in progress until it is stale; then a retry of the same request runs again.
            LogStoreFailed(logger, e, claim.Tenant);
        }
    }

    private string? NotStoredReason(HttpContext context, ResponseCaptureStream capture)
    {
        var response = context.Response;
        if (!IsReplayable(response.StatusCode))
        {
            return $"status {response.StatusCode} is worth retrying";
        }

        if (capture.Overflowed)
        {
            LogTooLargeToStore(logger, context.User.FindFirst(ApiKeyAuthenticationHandler.TenantClaim)?.Value, _options.MaxStoredResponseBytes);
            return "the response is too large to store";
        }

        // A proxy error after the response started, or a client that went away, leaves the body incomplete.
        if (context.RequestAborted.IsCancellationRequested
            || context.Features.Get<IForwarderErrorFeature>() is not null
            || (response.ContentLength is { } length && length != capture.BytesWritten))
        {
            return "the response is incomplete";
        }

        return null;
    }

    private async Task ReleaseAsync(IdempotencyClaim claim, string reason)
    {
        LogNotStored(logger, claim.Tenant, reason);
        try
        {
            await store.ReleaseAsync(claim, CancellationToken.None);
        }
        catch (DbException e)
        {
            // The claim stays in progress until it is stale; then a retry of the same request runs again.
            LogStoreFailed(logger, e, claim.Tenant);
        }
    }

    private static async Task ReplayAsync(HttpContext context, StoredResponse stored)
    {
        // The stored response is replayed as it was, not dressed up again by the status code pages.
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
        {
            statusCodePages.Enabled = false;
        }

        var response = context.Response;
        response.StatusCode = stored.StatusCode;
        response.ContentType = stored.ContentType;
        foreach (var (name, value) in stored.Headers)
        {
            response.Headers[name] = value;
        }

        response.Headers[ReplayedHeader] = "true";
        if (stored.Body.Length > 0)
        {
            response.ContentLength = stored.Body.Length;
            await response.Body.WriteAsync(stored.Body, context.RequestAborted);
        }
    }

    private ValueTask WriteProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>SHA-256 over the method, path, query string and body; the body is buffered and rewound for the backend.</summary>
    private static async Task<byte[]> FingerprintAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } limit)
        {
            request.EnableBuffering(limit);
        }
        else
        {
            request.EnableBuffering();
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendField(hash, request.Method);
        AppendField(hash, (request.PathBase + request.Path).Value ?? "");
        AppendField(hash, request.QueryString.Value ?? "");
        var chunk = ArrayPool<byte>.Shared.Rent(HashChunkBytes);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk.AsMemory(), ct)) > 0)
            {
                hash.AppendData(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        request.Body.Position = 0;
        return hash.GetHashAndReset();
    }

    // Length-prefixed, so that moving characters between fields never yields the same input.
    private static void AppendField(IncrementalHash hash, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }

    private static bool IsValidKey(string key) =>
        key.Length is > 0 and <= MaxKeyLength && key.All(c => c is >= ' ' and <= '~');

    private static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    private static bool IsReplayable(int status) =>
        status is < 500
            and not StatusCodes.Status429TooManyRequests
            and not StatusCodes.Status401Unauthorized
            and not StatusCodes.Status403Forbidden
            and not StatusCodes.Status408RequestTimeout;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Replayed the stored {StatusCode} response of an Idempotency-Key of tenant {Tenant}")]
    private static partial void LogReplayed(ILogger logger, string tenant, int statusCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {Tenant} reused an Idempotency-Key with a different request")]
    private static partial void LogKeyReused(ILogger logger, string tenant);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The response to an Idempotency-Key of tenant {Tenant} is not stored: {Reason}")]
    private static partial void LogNotStored(ILogger logger, string tenant, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A response to tenant {Tenant} exceeded {Limit} bytes and was not stored for its Idempotency-Key; a retry runs again")]
    private static partial void LogTooLargeToStore(ILogger logger, string? tenant, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An Idempotency-Key claim of tenant {Tenant} was taken over as stale before its response was stored")]
    private static partial void LogClaimLost(ILogger logger, string tenant);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing the outcome of an Idempotency-Key of tenant {Tenant} failed")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string tenant);

    [LoggerMessage(Level = LogLevel.Error, Message = "Checking an Idempotency-Key of tenant {Tenant} failed; the request was refused with 503")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception, string tenant);
}
