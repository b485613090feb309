using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace RetentionPlatform.Tenancy;

/// <summary>
/// Tenant id rules: 1-63 lowercase letters, digits and dashes, starting with a letter or digit. Never
/// contains '/', so <c>tenant/customer</c> keys split unambiguously.
/// </summary>
public static partial class TenantId
{
    public static bool IsValid([NotNullWhen(true)] string? value) => value is not null && Pattern().IsMatch(value);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
