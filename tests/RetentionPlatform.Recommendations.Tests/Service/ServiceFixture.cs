namespace RetentionPlatform.Recommendations.Tests.Service;

/// <summary>One Recommendations service shared by a test class whose tests keep apart by tenant.</summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public RecommendationsServiceHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await RecommendationsServiceHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
