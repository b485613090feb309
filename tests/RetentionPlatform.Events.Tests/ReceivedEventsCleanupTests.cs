using System.Net;
using Microsoft.Extensions.Time.Testing;
using static RetentionPlatform.Events.Tests.TestEvents;

namespace RetentionPlatform.Events.Tests;

public sealed class ReceivedEventsCleanupTests
{
    [Fact]
    public async Task AnEventIdOlderThanTheDuplicateWindowIsForgottenAndAcceptedAgainWhileANewerOneIsStillADuplicate()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var runs = new CleanupRuns();
        await using var service = await EventsServiceHost.StartAsync(
            clock,
            new Dictionary<string, string?>
            {
                ["Events:DuplicateWindow"] = "7.00:00:00",
                ["Events:DuplicateCleanupInterval"] = "01:00:00",
            },
            runs.AddTo);
        // The run at start: from here on the cleanup's timer is running on the fake clock.
        Assert.Equal(0, await runs.NextAsync());
        var tenant = NewTenant();

        using var old = await service.PostAsync("/v1/events", tenant, Event("old"));
        clock.Advance(TimeSpan.FromDays(4));
        using var recent = await service.PostAsync("/v1/events", tenant, Event("recent"));
        clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromHours(1));
        var forgotten = await runs.NextForgettingAsync();
        using var oldAgain = await service.PostAsync("/v1/events", tenant, Event("old"));
        using var recentAgain = await service.PostAsync("/v1/events", tenant, Event("recent"));

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (old.StatusCode, recent.StatusCode));
        Assert.Equal(1, forgotten);
        Assert.Equal(HttpStatusCode.Accepted, oldAgain.StatusCode);
        await AssertJsonAsync("""{"eventId":"recent","status":"duplicate"}""", recentAgain);
        // Published again after the window; consumers still apply it once, as they dedupe by event id.
        Assert.Equal(["old", "old", "recent"], CustomerEventsTopic.EventIds(tenant));
    }
}
