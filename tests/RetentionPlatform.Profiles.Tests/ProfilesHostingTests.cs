using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace RetentionPlatform.Profiles.Tests;

/// <summary>How the Profiles silo is put together from configuration, checked on the built host without starting it.</summary>
public sealed class ProfilesHostingTests
{
    /// <summary>
    /// An Aspire AppHost sets <c>Orleans__EnableDistributedTracing=true</c>, and Orleans then adds activity propagation
    /// itself; the service must not add it a second time (every grain call would be traced twice), nor lose it when
    /// the setting is absent (the standalone host, a service run on its own).
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData("true")]
    [InlineData("false")]
    public void GrainCallsArePropagatedByExactlyOneFilterWhateverTheTracingSetting(string? enableDistributedTracing)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ProfilesServiceExtensions.DatabaseName}"] = "Host=127.0.0.1;Port=1;Username=nobody;Database=none",
            ["ConnectionStrings:kafka"] = "127.0.0.1:1",
            [ProfilesServiceExtensions.DistributedTracingSetting] = enableDistributedTracing,
        });
        builder.AddProfilesServices();
        using var app = builder.Build();

        var incoming = app.Services.GetServices<IIncomingGrainCallFilter>().Count(IsActivityPropagation);
        var outgoing = app.Services.GetServices<IOutgoingGrainCallFilter>().Count(IsActivityPropagation);

        Assert.Equal(1, incoming);
        Assert.Equal(1, outgoing);
    }

    private static bool IsActivityPropagation(object filter) =>
        filter.GetType().Name.StartsWith("ActivityPropagation", StringComparison.Ordinal);
}
