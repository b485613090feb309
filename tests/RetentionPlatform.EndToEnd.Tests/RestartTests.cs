using System.Net;
using RetentionPlatform.Standalone;

namespace RetentionPlatform.EndToEnd.Tests;

public sealed class RestartTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"retention-e2e-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private StandaloneOptions Options() => new() { DataDirectory = _dataDirectory, GatewayHttpPort = 0, GatewayGrpcPort = 0 };

    [Fact]
    public async Task StartingTwiceInARowOnTheSameDataKeepsProfiles()
    {
        await using (var first = await StandalonePlatform.StartAsync(Options()))
        {
            using var client = new PartnerClient(first.GatewayHttpUrl, StandaloneOptions.DemoApiKey);
            (await client.PostEventAsync("r1", "loyal", "order_placed")).EnsureSuccessStatusCode();
            await client.WaitForProfileAsync("loyal", 1);
        }

        await using (var second = await StandalonePlatform.StartAsync(Options()))
        {
            using var client = new PartnerClient(second.GatewayHttpUrl, StandaloneOptions.DemoApiKey);
            using var response = await client.GetAsync("/v1/customers/loyal");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            // The grain's dedup window came back from PostgreSQL too: the same event id is not counted again.
            (await client.PostEventAsync("r1", "loyal", "order_placed")).EnsureSuccessStatusCode();
            (await client.PostEventAsync("r2", "loyal", "page_viewed", "2026-11-23T12:00:00Z")).EnsureSuccessStatusCode();
            var profile = await client.WaitForProfileAsync("loyal", 2);
            Assert.Equal(2, profile.EventCount);
        }
    }
}
