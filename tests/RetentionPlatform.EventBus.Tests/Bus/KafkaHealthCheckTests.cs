using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RetentionPlatform.Testing;

namespace RetentionPlatform.EventBus.Tests.Bus;

/// <summary>Readiness follows the broker: healthy against the embedded broker, unhealthy when nothing listens.</summary>
public sealed class KafkaHealthCheckTests
{
    [Fact]
    public async Task ABrokerThatAnswersIsHealthy()
    {
        var report = await CheckAsync(TestServers.KafkaBootstrapServers);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries[KafkaHealthCheck.Name].Status);
    }

    [Fact]
    public async Task ABrokerThatDoesNotAnswerIsUnhealthy()
    {
        // A port nothing listens on: the connection is refused at once, the metadata request times out.
        var report = await CheckAsync($"127.0.0.1:{TestServers.FreePort()}");

        Assert.Equal(HealthStatus.Unhealthy, report.Entries[KafkaHealthCheck.Name].Status);
    }

    [Fact]
    public void SeveralConsumersInOneServiceRegisterTheCheckOnce()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:kafka"] = TestServers.KafkaBootstrapServers });
        builder.AddKafkaConsumer<RecordingProcessor>("topic.a", "group.a");
        builder.AddKafkaConsumer<RecordingProcessor>("topic.b", "group.b");
        using var services = builder.Services.BuildServiceProvider();

        var registrations = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthCheckServiceOptions>>().Value.Registrations;

        Assert.Single(registrations, registration => registration.Name == KafkaHealthCheck.Name);
    }

    private static async Task<HealthReport> CheckAsync(string bootstrapServers)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:kafka"] = bootstrapServers });
        builder.AddKafkaEventBus();
        using var host = builder.Build();
        return await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
    }
}
