using System.Globalization;

namespace RetentionPlatform.Gateway.Protection;

/// <summary>
/// A request body of unannounced length (chunked), counted as it is read: a read past <paramref name="limit"/> bytes
/// fails with a 413 <see cref="BadHttpRequestException"/> (the proxy answers with its status). The server's own limit
/// lies further out, so the body is not broken: once the 413 is sent the server reads and discards what the client
/// still uploads instead of closing the connection under it.
/// </summary>
internal sealed class CappedRequestBody(Stream inner, long limit) : Stream
{
    private long _read;

    /// <summary>Whether the body has been read to its end, so nothing of it is left for the server to drain.</summary>
    public bool ReachedEnd { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ThrowIfOverLimit();
        return Count(inner.Read(buffer), buffer.Length);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfOverLimit();
        return Count(await inner.ReadAsync(buffer, cancellationToken), buffer.Length);
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read, int asked)
    {
        // A read of nothing (the proxy waits for data that way) says nothing about the end.
        if (read == 0)
        {
            ReachedEnd |= asked > 0;
            return 0;
        }

        _read += read;
        ThrowIfOverLimit();
        return read;
    }

    private void ThrowIfOverLimit()
    {
        if (_read > limit)
        {
            throw new BadHttpRequestException(
                $"This route accepts bodies of at most {limit.ToString("N0", CultureInfo.InvariantCulture)} bytes.", StatusCodes.Status413PayloadTooLarge);
        }
    }
}
