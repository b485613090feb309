using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace RetentionPlatform.Postgres;

/// <summary>One versioned SQL migration of a service's schema, applied at most once by <see cref="PostgresMigrator"/>.</summary>
/// <param name="Version">The migration's position; unique and positive.</param>
/// <param name="Name">A short description recorded in the history table.</param>
/// <param name="Sql">The statements, run in one transaction.</param>
public sealed partial record Migration(int Version, string Name, string Sql)
{
    /// <summary>
    /// Loads the migrations embedded in <paramref name="assembly"/> whose manifest names end with
    /// <c>.Migrations.&lt;NNNN&gt;_&lt;name&gt;.sql</c>, ordered by version; for a project that embeds
    /// <c>Migrations/*.sql</c> with <c>&lt;EmbeddedResource Include="Migrations/*.sql" /&gt;</c>.
    /// </summary>
    public static IReadOnlyList<Migration> FromEmbeddedResources(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var migrations = new List<Migration>();
        foreach (var resourceName in assembly.GetManifestResourceNames())
        {
            var match = ResourceNamePattern().Match(resourceName);
            if (!match.Success)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resourceName)
                ?? throw new InvalidOperationException($"Embedded resource '{resourceName}' could not be opened.");
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            migrations.Add(new Migration(
                int.Parse(match.Groups["version"].Value, NumberStyles.None, CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                reader.ReadToEnd()));
        }

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null
            ? [.. migrations.OrderBy(m => m.Version)]
            : throw new InvalidOperationException(
                $"{assembly.GetName().Name} embeds more than one migration with version {duplicate.Key}: " +
                string.Join(", ", duplicate.Select(m => m.Name)) + ".");
    }

    [GeneratedRegex(@"\.Migrations\.(?<version>[0-9]{4,9})_(?<name>[^.]+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceNamePattern();
}
