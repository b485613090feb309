namespace RetentionPlatform.Profiles.Model;

/// <summary>
/// Problems with a request, by the path of the field that has them in the REST body (camelCase, for example
/// <c>quietHoursStart</c> or <c>conditions[0].value</c>); <see cref="ToGrpc"/> renames them for protobuf fields.
/// </summary>
internal sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public bool Has(string field) => _errors.ContainsKey(field);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary>Adds problems found by another validator, with <paramref name="rename"/> applied to their keys.</summary>
    public void AddAll(IReadOnlyDictionary<string, string[]> errors, Func<string, string>? rename = null)
    {
        foreach (var (field, messages) in errors)
        {
            foreach (var message in messages)
            {
                Add(rename is null ? field : rename(field), message);
            }
        }
    }

    /// <summary>The errors as an HTTP ValidationProblem wants them.</summary>
    public Dictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>
    /// The errors keyed by protobuf field paths: <paramref name="prefix"/> (for example <c>policy.</c>) and the
    /// camelCase names in snake_case; map keys and indexes in brackets stay as they are.
    /// </summary>
    public Dictionary<string, string[]> ToGrpc(string prefix = "") =>
        _errors.ToDictionary(e => prefix + SnakeCase(e.Key), e => e.Value.ToArray(), StringComparer.Ordinal);

    internal static string SnakeCase(string path)
    {
        var builder = new System.Text.StringBuilder(path.Length + 8);
        var depth = 0;
        foreach (var c in path)
        {
            depth += c switch { '[' => 1, ']' => -1, _ => 0 };
            if (depth == 0 && char.IsAsciiLetterUpper(c))
            {
                builder.Append('_').Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
