namespace RetentionPlatform.Postgres.Tests;

public sealed class PostgresBinariesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("retention-pg-bin-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void HighestInstalledVersionIsChosen()
    {
        FakeInstall("9.6");
        FakeInstall("14");
        var newest = FakeInstall("16");

        Assert.Equal(newest, PostgresBinaries.Resolve(null, null, null, _root));
    }

    [Fact]
    public void VersionOfAnExistingClusterIsPreferred()
    {
        var matching = FakeInstall("14");
        FakeInstall("16");
        var dataDirectory = Directory.CreateDirectory(Path.Combine(_root, "data")).FullName;
        File.WriteAllText(Path.Combine(dataDirectory, "PG_VERSION"), "14\n");

        Assert.Equal(matching, PostgresBinaries.Resolve(null, null, dataDirectory, _root));
    }

    [Fact]
    public void ExplicitFolderWinsOverEnvironmentVariableWhichWinsOverInstalledVersions()
    {
        var explicitFolder = FakeTools(Path.Combine(_root, "explicit"));
        var fromEnvironment = FakeTools(Path.Combine(_root, "environment"));
        FakeInstall("16");

        Assert.Equal(explicitFolder, PostgresBinaries.Resolve(explicitFolder, fromEnvironment, null, _root));
        Assert.Equal(fromEnvironment, PostgresBinaries.Resolve(null, fromEnvironment, null, _root));
    }

    [Fact]
    public void PathIsSearchedWhenNothingIsInstalled()
    {
        var onPath = FakeTools(Path.Combine(_root, "on-path"));

        Assert.Equal(onPath, PostgresBinaries.Resolve(null, null, null, Path.Combine(_root, "none"), $"/nowhere{Path.PathSeparator}{onPath}"));
    }

    [Fact]
    public void MissingBinariesFailWithInstallAdvice()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => PostgresBinaries.Resolve(null, null, null, Path.Combine(_root, "none"), "/nowhere"));

        Assert.Contains(PostgresBinaries.EnvironmentVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExplicitFolderWithoutToolsIsRejected()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;

        var error = Assert.Throws<InvalidOperationException>(() => PostgresBinaries.Resolve(empty, null, null, _root));

        Assert.Contains("pg_ctl", error.Message, StringComparison.Ordinal);
    }

    private string FakeInstall(string version) => FakeTools(Path.Combine(_root, version, "bin"));

    private static string FakeTools(string binDirectory)
    {
        Directory.CreateDirectory(binDirectory);
        foreach (var tool in (string[])["initdb", "pg_ctl", "postgres"])
        {
            File.WriteAllText(Path.Combine(binDirectory, tool), string.Empty);
        }

        return binDirectory;
    }
}
