using System.Globalization;
using RetentionPlatform.Admin.Model;

namespace RetentionPlatform.Admin.Output;

/// <summary>How values read in human output.</summary>
internal static class Formats
{
    public const string None = "-";

    public static string Moment(DateTimeOffset moment) =>
        moment.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Moment(DateTimeOffset? moment) => moment is { } m ? Moment(m) : None;

    /// <param name="limit">The limit, or null.</param>
    /// <param name="whenNull">What a null limit means where it is shown (the gateway default, the tenant's limit).</param>
    public static string Limit(RateLimit? limit, string whenNull) =>
        limit is null
            ? whenNull
            : string.Create(CultureInfo.InvariantCulture, $"{limit.PermitsPerSecond}/s burst {limit.Burst}");

    public static string List(IEnumerable<string> values) => string.Join(",", values);
}
