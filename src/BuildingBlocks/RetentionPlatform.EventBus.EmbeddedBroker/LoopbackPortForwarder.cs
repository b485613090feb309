using System.Net;
using System.Net.Sockets;

namespace RetentionPlatform.EventBus.EmbeddedBroker;

/// <summary>
/// Relays TCP connections from a chosen loopback port to another loopback port. librdkafka's mock brokers always
/// listen on a kernel-assigned port, so a fixed port is provided by this relay plus advertising it in metadata.
/// </summary>
internal sealed class LoopbackPortForwarder : IDisposable
{
    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly Lock _gate = new();
    private readonly HashSet<Socket> _connections = [];
    private bool _disposed;

    private LoopbackPortForwarder(Socket listener, int targetPort)
    {
        _listener = listener;
        _target = new IPEndPoint(IPAddress.Loopback, targetPort);
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _ = AcceptLoopAsync();
    }

    public int Port { get; }

    public static LoopbackPortForwarder Start(int listenPort, int targetPort)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // .NET already sets SO_REUSEADDR on Unix, so a restart is not blocked by relay connections in TIME_WAIT.
            // Setting ReuseAddress explicitly would add SO_REUSEPORT and let a second broker share the port silently.
            listener.Bind(new IPEndPoint(IPAddress.Loopback, listenPort));
            listener.Listen();
            return new LoopbackPortForwarder(listener, targetPort);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Socket[] open;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            open = [.. _connections];
            _connections.Clear();
        }

        _listener.Dispose();
        foreach (var socket in open)
        {
            socket.Dispose();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                if (Volatile.Read(ref _disposed))
                {
                    return;
                }

                continue;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (!TryTrack(client, upstream))
        {
            return;
        }

        try
        {
            client.NoDelay = true;
            upstream.NoDelay = true;
            await upstream.ConnectAsync(_target).ConfigureAwait(false);

            await using var clientStream = new NetworkStream(client, ownsSocket: false);
            await using var upstreamStream = new NetworkStream(upstream, ownsSocket: false);
            await Task.WhenAny(
                CopyAsync(clientStream, upstreamStream),
                CopyAsync(upstreamStream, clientStream)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
        {
            // The peer or the broker went away; closing both ends below is all there is to do.
        }
        finally
        {
            Untrack(client, upstream);
        }
    }

    private static async Task CopyAsync(NetworkStream source, NetworkStream destination)
    {
        try
        {
            await source.CopyToAsync(destination).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
        {
            // Ends this direction; the relay then closes the other one.
        }
    }

    private bool TryTrack(Socket client, Socket upstream)
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _connections.Add(client);
                _connections.Add(upstream);
                return true;
            }
        }

        client.Dispose();
        upstream.Dispose();
        return false;
    }

    private void Untrack(Socket client, Socket upstream)
    {
        lock (_gate)
        {
            _connections.Remove(client);
            _connections.Remove(upstream);
        }

        client.Dispose();
        upstream.Dispose();
    }
}
