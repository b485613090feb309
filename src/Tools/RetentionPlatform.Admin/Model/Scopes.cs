namespace RetentionPlatform.Admin.Model;

/// <summary>What an API key may do; checked here so a typo fails before anything is sent.</summary>
internal static class Scopes
{
    public static readonly IReadOnlyList<string> All = ["ingest", "read", "write", "admin"];
}
