using RetentionPlatform.Standalone;

namespace RetentionPlatform.EndToEnd.Tests;

/// <summary>One standalone platform (throwaway data, free ports) shared by the tests of a class.</summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public StandalonePlatform Platform { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Platform = await StandalonePlatform.StartAsync(new StandaloneOptions { Ephemeral = true, GatewayHttpPort = 0, GatewayGrpcPort = 0 });

    public async Task DisposeAsync() => await Platform.DisposeAsync();
}
