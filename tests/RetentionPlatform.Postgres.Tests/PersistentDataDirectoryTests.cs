using System.Diagnostics;
using Npgsql;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Postgres.Tests;

public sealed class PersistentDataDirectoryTests : IAsyncLifetime
{
    // Not created here: when the tests run as root, a folder made by Directory.CreateTempSubdirectory is private to
    // root and the server's OS user could not enter it.
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"retention-pg-test-{Guid.NewGuid():N}");

    private readonly List<LocalPostgresServer> _started = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _started)
        {
            await server.DisposeAsync();
        }

        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task DataSurvivesStopAndStart()
    {
        var first = await StartAsync();
        await Db.ExecuteAsync(first.GetConnectionString("retention"), "create table notes (text text); insert into notes values ('kept')");
        await first.StopAsync();
        await first.StopAsync();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => Db.ScalarAsync<int>(first.GetConnectionString("retention"), "select 1"));
        await first.DisposeAsync();
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "PG_VERSION")));

        var second = await StartAsync();
        var text = await Db.ScalarAsync<string>(second.GetConnectionString("retention"), "select text from notes");

        Assert.Equal("kept", text);
    }

    [Fact]
    public async Task SecondStartOnADirectoryWhoseServerIsStillRunningTakesOver()
    {
        var port = TestServers.FreePort();
        var abandoned = await StartAsync(port);
        await Db.ExecuteAsync(abandoned.GetConnectionString("retention"), "create table notes (text text); insert into notes values ('kept')");

        var second = await StartAsync(port);
        var text = await Db.ScalarAsync<string>(second.GetConnectionString("retention"), "select text from notes");

        Assert.Equal(port, second.Port);
        Assert.NotEqual(abandoned.ProcessId, second.ProcessId);
        Assert.False(ProcessProbe.IsRunning(abandoned.ProcessId));
        Assert.Equal("kept", text);

        await abandoned.DisposeAsync();
        Assert.Equal(1, await Db.ScalarAsync<int>(second.GetConnectionString("retention"), "select 1"));
        await second.DisposeAsync();
        await WaitUntilAsync(() => !ProcessProbe.IsRunning(second.ProcessId));
    }

    [Fact]
    public async Task StartAfterThePostmasterWasKilledRecoversFromItsStaleLockFiles()
    {
        var port = TestServers.FreePort();
        var killed = await StartAsync(port);
        await Db.ExecuteAsync(killed.GetConnectionString("retention"), "create table notes (text text); insert into notes values ('kept')");
        using (var postmaster = Process.GetProcessById(killed.ProcessId))
        {
            postmaster.Kill();
        }

        await WaitUntilAsync(() => !ProcessProbe.IsRunning(killed.ProcessId));
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "postmaster.pid")));

        var second = await StartAsync(port);
        var text = await Db.ScalarAsync<string>(second.GetConnectionString("retention"), "select text from notes");

        Assert.Equal("kept", text);
        await killed.DisposeAsync();
        Assert.Equal(1, await Db.ScalarAsync<int>(second.GetConnectionString("retention"), "select 1"));
        await second.DisposeAsync();
        await WaitUntilAsync(() => !ProcessProbe.IsRunning(second.ProcessId));
    }

    [Fact]
    public async Task InitdbFailureSurfacesItsErrorOutput()
    {
        Directory.CreateDirectory(_dataDirectory);
        await File.WriteAllTextAsync(Path.Combine(_dataDirectory, "unrelated.txt"), "not a cluster");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync());

        Assert.Contains("initdb", error.Message, StringComparison.Ordinal);
        Assert.Contains("is not empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartFailureSurfacesTheServerLogTail()
    {
        var first = await StartAsync();
        await first.DisposeAsync();
        await File.AppendAllTextAsync(Path.Combine(_dataDirectory, "postgresql.conf"), "\nwork_mem = 'plenty'\n");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync());

        Assert.Contains("pg_ctl", error.Message, StringComparison.Ordinal);
        Assert.Contains("work_mem", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataDirectoryThePostgresUserCannotReachIsReportedClearly()
    {
        // Only root hands the server to another OS user; for any other user every folder it owns is reachable.
        if (!Environment.IsPrivilegedProcess)
        {
            return;
        }

        var privateParent = Directory.CreateTempSubdirectory("retention-pg-private-").FullName;
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(
                () => LocalPostgresServer.StartAsync(new LocalPostgresOptions { DataDirectory = Path.Combine(privateParent, "data") }));

            Assert.Contains("cannot use", error.Message, StringComparison.Ordinal);
            Assert.Contains("traverse every parent folder", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(privateParent, recursive: true);
        }
    }

    private async Task<LocalPostgresServer> StartAsync(int port = 0)
    {
        var server = await LocalPostgresServer.StartAsync(
            new LocalPostgresOptions { DataDirectory = _dataDirectory, Port = port, Databases = ["retention"] });
        _started.Add(server);
        return server;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true within 10 s.");
            await Task.Delay(20);
        }
    }
}
