using System.Collections;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;
using RetentionPlatform.Standalone;

namespace RetentionPlatform.EndToEnd.Tests;

/// <summary>
/// A standalone platform with the process-wide tracer provider the standalone host builds for OTLP
/// (the production <see cref="Extensions.AddPlatformTracing"/> source set), exporting to memory instead.
/// The provider is built before the platform starts, as the host does, and is the only listener: the host
/// sets <see cref="Extensions.SharedProcessTelemetryKey"/>, so no service builds a provider of its own.
/// </summary>
public sealed class TraceTreeFixture : IAsyncLifetime
{
    private readonly SpanRecorder _spans = new();
    private TracerProvider? _tracing;

    public StandalonePlatform Platform { get; private set; } = null!;

    /// <summary>Every span that ended in this process since the fixture started (any trace, any test).</summary>
    public IReadOnlyList<Activity> Spans() => _spans.Snapshot();

    public async Task InitializeAsync()
    {
        _tracing = Sdk.CreateTracerProviderBuilder()
            .AddPlatformTracing()
            .AddInMemoryExporter(_spans)
            .Build();
        Platform = await StandalonePlatform.StartAsync(new StandaloneOptions { Ephemeral = true, GatewayHttpPort = 0, GatewayGrpcPort = 0 });
    }

    public async Task DisposeAsync()
    {
        if (Platform is not null)
        {
            await Platform.DisposeAsync();
        }

        _tracing?.Dispose();
    }

    /// <summary>The exporter appends from whichever thread ends a span while a test reads: a locked list.</summary>
    private sealed class SpanRecorder : ICollection<Activity>
    {
        private readonly List<Activity> _items = [];

        public int Count
        {
            get
            {
                lock (_items)
                {
                    return _items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public IReadOnlyList<Activity> Snapshot()
        {
            lock (_items)
            {
                return [.. _items];
            }
        }

        public void Add(Activity item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }

        public void Clear()
        {
            lock (_items)
            {
                _items.Clear();
            }
        }

        public bool Contains(Activity item)
        {
            lock (_items)
            {
                return _items.Contains(item);
            }
        }

        public void CopyTo(Activity[] array, int arrayIndex)
        {
            lock (_items)
            {
                _items.CopyTo(array, arrayIndex);
            }
        }

        public bool Remove(Activity item)
        {
            lock (_items)
            {
                return _items.Remove(item);
            }
        }

        public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
