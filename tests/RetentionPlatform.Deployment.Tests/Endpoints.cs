using System.Globalization;

namespace RetentionPlatform.Deployment.Tests;

/// <summary>The ports of one service process: its two Kestrel endpoints and, for a Profiles silo, its Orleans ports.</summary>
public sealed record Endpoints(int HttpPort, int GrpcPort, int? SiloPort, int? OrleansGatewayPort)
{
    /// <summary>The <c>http</c> endpoint (HTTP/1.1: health, REST), on <c>localhost</c> as the AppHost writes it.</summary>
    public Uri HttpUrl => new($"http://localhost:{HttpPort.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>The <c>grpc</c> endpoint (cleartext HTTP/2).</summary>
    public Uri GrpcUrl => new($"http://localhost:{GrpcPort.ToString(CultureInfo.InvariantCulture)}/");
}
