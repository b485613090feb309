using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RetentionPlatform.Postgres;
using RetentionPlatform.Profiles.Infrastructure;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Profiles.Tests;

/// <summary>
/// One in-process silo wired as the Profiles service wires its own when no clustering provider is configured
/// (localhost clustering, reminders in PostgreSQL through <see cref="OrleansProviders"/>), on a fresh database that
/// its hosted migrations create.
/// </summary>
public sealed class PostgresRemindersSiloFixture : IAsyncLifetime
{
    public const string ServiceId = "reminder-tests";

    private IHost? _silo;

    public string ConnectionString { get; private set; } = "";

    /// <summary>The silo's reminder table: Orleans' ADO.NET provider as the silo resolved it.</summary>
    public IReminderTable Reminders => _silo!.Services.GetRequiredService<IReminderTable>();

    public async Task InitializeAsync()
    {
        ConnectionString = await TestServers.CreateDatabaseAsync("reminders");

        // Orleans needs its ports chosen up front; another process may take one in between.
        for (var attempt = 1; ; attempt++)
        {
            var silo = Build(TestServers.FreePort(), TestServers.FreePort());
            try
            {
                await silo.StartAsync();
                _silo = silo;
                return;
            }
            catch (Exception e) when (attempt < 3 && IsAddressInUse(e))
            {
                silo.Dispose();
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.StopAsync();
            _silo.Dispose();
        }
    }

    private IHost Build(int siloPort, int gatewayPort)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration[$"ConnectionStrings:{ProfilesServiceExtensions.DatabaseName}"] = ConnectionString;
        builder.Services.AddNpgsqlDataSource(ConnectionString);
        builder.Services.AddPostgresMigrations(OrleansProviders.Schema, typeof(OrleansProviders).Assembly);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: ServiceId, clusterId: ServiceId);
            silo.AddProfilesOrleansProviders(builder.Configuration);
        });
        return builder.Build();
    }

    private static bool IsAddressInUse(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
                || (exception is AggregateException aggregate && aggregate.InnerExceptions.Any(IsAddressInUse)))
            {
                return true;
            }
        }

        return false;
    }
}
