namespace RetentionPlatform.Gateway.Authentication;

/// <summary>
/// One configured API key (<c>Gateway:ApiKeys:&lt;name&gt;</c>). Only the SHA-256 of the key is stored;
/// full key management (issue, list, revoke) is a later capability.
/// </summary>
public sealed class ApiKeyOptions
{
    /// <summary>The tenant every request with this key belongs to.</summary>
    public string Tenant { get; set; } = "";

    /// <summary>Lowercase hex SHA-256 of the key's UTF-8 bytes.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>What the key may do: ingest, read, write, admin.</summary>
    public List<string> Scopes { get; set; } = [];
}
