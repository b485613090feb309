namespace RetentionPlatform.Postgres;

/// <summary>
/// Settings for <see cref="LocalPostgresServer"/>, a PostgreSQL server run from the locally installed binaries
/// for development and tests.
/// </summary>
public sealed record LocalPostgresOptions
{
    /// <summary>
    /// The cluster's data folder. <see langword="null"/> creates a throwaway folder under the temp path that is
    /// deleted on dispose; otherwise the folder is persistent and initialised only when it holds no cluster yet.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>The TCP port on 127.0.0.1; 0 picks a free one at every start.</summary>
    public int Port { get; init; }

    /// <summary>
    /// The folder holding <c>initdb</c> and <c>pg_ctl</c>. When <see langword="null"/>, the environment variable
    /// <c>RETENTION_PG_BIN</c> is used, then <c>/usr/lib/postgresql/&lt;version&gt;/bin</c>, then the PATH.
    /// </summary>
    public string? BinDirectory { get; init; }

    /// <summary>Databases created at start when missing.</summary>
    public IReadOnlyList<string> Databases { get; init; } = [];

    /// <summary>The superuser created by <c>initdb</c> and used in connection strings.</summary>
    public string Username { get; init; } = "postgres";
}
