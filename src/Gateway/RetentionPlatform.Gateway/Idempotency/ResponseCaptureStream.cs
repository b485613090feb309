namespace RetentionPlatform.Gateway.Idempotency;

/// <summary>
/// The response body as the client gets it: every write goes straight on to the client's stream, and a copy of
/// up to <paramref name="limit"/> bytes is kept for replay. Beyond the limit the copy is dropped
/// (<see cref="Overflowed"/>) and the response streams on.
/// </summary>
internal sealed class ResponseCaptureStream(Stream inner, int limit) : Stream
{
    private readonly MemoryStream _copy = new();

    public bool Overflowed { get; private set; }

    /// <summary>Every byte written, kept or not.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>The kept bytes (valid until the stream is disposed).</summary>
    public ReadOnlyMemory<byte> Captured => _copy.TryGetBuffer(out var buffer) ? buffer.AsMemory() : _copy.ToArray();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Keep(buffer);
        inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Keep(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        // The client's stream belongs to the server; only the copy is ours.
        if (disposing)
        {
            _copy.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        BytesWritten += bytes.Length;
        if (Overflowed)
        {
            return;
        }

        if (_copy.Length + bytes.Length > limit)
        {
            Overflowed = true;
            _copy.SetLength(0);
            _copy.Capacity = 0;
            return;
        }

        _copy.Write(bytes);
    }
}
