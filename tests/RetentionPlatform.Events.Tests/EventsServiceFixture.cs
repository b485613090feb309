namespace RetentionPlatform.Events.Tests;

/// <summary>One Events service shared by a test class; its tests keep apart by tenant (<see cref="TestEvents.NewTenant"/>).</summary>
public sealed class EventsServiceFixture : IAsyncLifetime
{
    public EventsServiceHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await EventsServiceHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
