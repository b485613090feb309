namespace RetentionPlatform.Scheduling.Tests.Service;

/// <summary>One Scheduling service shared by a test class whose tests keep apart by tenant.</summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public SchedulingServiceHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await SchedulingServiceHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
