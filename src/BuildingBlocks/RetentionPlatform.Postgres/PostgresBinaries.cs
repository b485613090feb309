namespace RetentionPlatform.Postgres;

/// <summary>Finds the folder holding the PostgreSQL server tools (<c>initdb</c>, <c>pg_ctl</c>).</summary>
internal static class PostgresBinaries
{
    internal const string EnvironmentVariable = "RETENTION_PG_BIN";
    internal const string DebianRoot = "/usr/lib/postgresql";

    private static readonly string[] RequiredTools = ["initdb", "pg_ctl", "postgres"];

    /// <summary>
    /// Picks, in order: the explicit folder, the environment variable's folder, the Debian layout's folder whose
    /// version matches the cluster in <paramref name="dataDirectory"/> (a cluster only opens with its own major
    /// version), the Debian layout's highest version, and finally the folder of <c>pg_ctl</c> on the PATH.
    /// </summary>
    internal static string Resolve(
        string? explicitDirectory,
        string? environmentDirectory,
        string? dataDirectory,
        string debianRoot = DebianRoot,
        string? pathVariable = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            return RequireTools(explicitDirectory, $"{nameof(LocalPostgresOptions)}.{nameof(LocalPostgresOptions.BinDirectory)}");
        }

        if (!string.IsNullOrWhiteSpace(environmentDirectory))
        {
            return RequireTools(environmentDirectory, EnvironmentVariable);
        }

        var installed = InstalledVersions(debianRoot);
        if (installed.Count > 0)
        {
            var clusterVersion = ReadClusterVersion(dataDirectory);
            var matching = installed.FirstOrDefault(i => i.Name == clusterVersion);
            return (matching ?? installed[0]).BinDirectory;
        }

        var fromPath = FindOnPath(pathVariable ?? Environment.GetEnvironmentVariable("PATH"));
        return fromPath ?? throw new InvalidOperationException(
            $"PostgreSQL server binaries were not found: there is no pg_ctl under {debianRoot}/<version>/bin nor on the PATH. " +
            $"Install PostgreSQL (e.g. 'apt-get install postgresql') or set {EnvironmentVariable} or " +
            $"{nameof(LocalPostgresOptions)}.{nameof(LocalPostgresOptions.BinDirectory)} to the folder holding initdb and pg_ctl.");
    }

    private static string RequireTools(string directory, string source)
    {
        var fullPath = Path.GetFullPath(directory);
        var missing = RequiredTools.Where(tool => !File.Exists(Path.Combine(fullPath, tool))).ToList();
        return missing.Count == 0
            ? fullPath
            : throw new InvalidOperationException(
                $"The PostgreSQL bin folder '{fullPath}' (from {source}) lacks {string.Join(", ", missing)}.");
    }

    private static List<InstalledVersion> InstalledVersions(string debianRoot)
    {
        if (!Directory.Exists(debianRoot))
        {
            return [];
        }

        var versions = new List<InstalledVersion>();
        foreach (var versionDirectory in Directory.EnumerateDirectories(debianRoot))
        {
            var name = Path.GetFileName(versionDirectory);
            var binDirectory = Path.Combine(versionDirectory, "bin");
            if (TryParseVersion(name, out var version) && RequiredTools.All(tool => File.Exists(Path.Combine(binDirectory, tool))))
            {
                versions.Add(new InstalledVersion(name, version, binDirectory));
            }
        }

        return [.. versions.OrderByDescending(v => v.Version)];
    }

    private static bool TryParseVersion(string name, out Version version) =>
        Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out version!);

    private static string? ReadClusterVersion(string? dataDirectory)
    {
        if (dataDirectory is null)
        {
            return null;
        }

        var versionFile = Path.Combine(dataDirectory, "PG_VERSION");
        return File.Exists(versionFile) ? File.ReadAllText(versionFile).Trim() : null;
    }

    private static string? FindOnPath(string? pathVariable)
    {
        if (string.IsNullOrEmpty(pathVariable))
        {
            return null;
        }

        return pathVariable
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(directory => RequiredTools.All(tool => File.Exists(Path.Combine(directory, tool))));
    }

    private sealed record InstalledVersion(string Name, Version Version, string BinDirectory);
}
