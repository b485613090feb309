using System.Text.Json;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Gateway.Tenants;

/// <summary>
/// Reads and validates the admin API's JSON bodies by hand, so every mistake (wrong type, unknown scope, a rate
/// of zero) comes back as a field error instead of a generic binding failure, and an explicit
/// <c>"rateLimit": null</c> (clear) can be told from a missing one (keep).
/// </summary>
internal sealed class AdminRequest
{
    public const int MaxBodyBytes = 16 * 1024;

    private readonly JsonElement _root;

    private AdminRequest(JsonElement root) => _root = root;

    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>Parses the body (<see cref="JsonRequestBody"/>); a problem when it is not a JSON object.</summary>
    public static async Task<(AdminRequest? Request, IResult? Problem)> ReadAsync(HttpRequest request)
    {
        var (document, problem) = await JsonRequestBody.ReadAsync(request.HttpContext, "request body", MaxBodyBytes);
        if (document is null)
        {
            return (null, problem);
        }

        using (document)
        {
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (new AdminRequest(document.RootElement.Clone()), null)
                : (null, TypedResults.Problem(statusCode: 400, title: "Malformed body", detail: "The body must be a JSON object."));
        }
    }

    public bool Has(string field) => _root.TryGetProperty(field, out _);

    public string? Text(string field, bool required, int maxLength = 200)
    {
        if (!_root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Add(field, $"The '{field}' field is required.");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Add(field, $"The '{field}' field must be a string.");
            return null;
        }

        var text = value.GetString()!.Trim();
        if (text.Length == 0 || text.Length > maxLength || text.Any(char.IsControl))
        {
            Add(field, $"The '{field}' field must be 1-{maxLength} characters without control characters.");
            return null;
        }

        return text;
    }

    public string? TenantIdField(string field)
    {
        var id = Text(field, required: true, maxLength: 63);
        if (id is not null && !TenantId.IsValid(id))
        {
            Add(field, "A tenant id is 1-63 lowercase letters, digits and dashes, starting with a letter or digit.");
            return null;
        }

        return id;
    }

    /// <summary>The rate limit, when given; <paramref name="cleared"/> is true for an explicit null.</summary>
    public RateLimit? Limit(out bool cleared)
    {
        cleared = false;
        if (!_root.TryGetProperty("rateLimit", out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            cleared = true;
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Add("rateLimit", "The 'rateLimit' field must be an object like {\"permitsPerSecond\": 100, \"burst\": 200}, or null.");
            return null;
        }

        var rate = PositiveInt(value, "permitsPerSecond", required: true);
        var burst = PositiveInt(value, "burst", required: false) ?? rate;
        return rate is null || burst is null ? null : new RateLimit(rate.Value, Math.Max(burst.Value, 1));
    }

    public IReadOnlyList<string>? Scopes()
    {
        if (!_root.TryGetProperty("scopes", out var value) || value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            Add("scopes", $"The 'scopes' field must be a non-empty array of {string.Join(", ", ApiScopes.All)}.");
            return null;
        }

        var scopes = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            var scope = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (!ApiScopes.IsValid(scope))
            {
                Add("scopes", $"'{(scope ?? item.GetRawText())}' is not a scope; use {string.Join(", ", ApiScopes.All)}.");
                return null;
            }

            if (!scopes.Contains(scope))
            {
                scopes.Add(scope);
            }
        }

        return scopes;
    }

    private int? PositiveInt(JsonElement parent, string field, bool required)
    {
        const int Max = 1_000_000;
        if (!parent.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Add($"rateLimit.{field}", $"The 'rateLimit.{field}' field is required.");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number is < 1 or > Max)
        {
            Add($"rateLimit.{field}", $"The 'rateLimit.{field}' field must be a whole number from 1 to {Max}.");
            return null;
        }

        return number;
    }

    public void Add(string field, string message) =>
        Errors[field] = Errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
}
