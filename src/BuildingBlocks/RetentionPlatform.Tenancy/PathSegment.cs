namespace RetentionPlatform.Tenancy;

/// <summary>Route values of REST paths that carry a partner's own ids.</summary>
public static class PathSegment
{
    /// <summary>Routing decodes every escape in a segment except %2F; partner ids (customers, items) may contain a slash.</summary>
    public static string Decode(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return segment.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
    }
}
