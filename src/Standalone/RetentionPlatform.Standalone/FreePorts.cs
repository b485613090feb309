using System.Net;
using System.Net.Sockets;

namespace RetentionPlatform.Standalone;

/// <summary>Finds free loopback ports, so a second run (or a test next to a dev run) never collides.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
