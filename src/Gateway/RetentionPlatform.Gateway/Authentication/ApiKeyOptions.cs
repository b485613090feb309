namespace RetentionPlatform.Gateway.Authentication;

/// <summary>
/// A key given in configuration (<c>Gateway:ApiKeys:&lt;name&gt;</c>): a development or bootstrap key, created in
/// the key store at start (with its tenant) under the prefix <c>cfg_&lt;name&gt;</c> unless it exists, and from then
/// on listed and revoked like any issued key. Only the SHA-256 of the key is given.
/// </summary>
public sealed class ApiKeyOptions
{
    /// <summary>The tenant every request with this key belongs to.</summary>
    public string Tenant { get; set; } = "";

    /// <summary>Lowercase hex SHA-256 of the key's UTF-8 bytes.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>What the key may do: ingest, read, write, admin; empty means all four.</summary>
    public List<string> Scopes { get; set; } = [];
}
