using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RetentionPlatform.Gateway.OpenApi;

namespace RetentionPlatform.EndToEnd.Tests;

/// <summary>
/// The partner API's OpenAPI document as the gateway serves it: its operations, <c>$ref</c> resolution, and a check of
/// JSON values against its schemas (the JSON Schema keywords the document uses: type, enum, const, properties,
/// required, additionalProperties, items, allOf, anyOf, oneOf, lengths, bounds, pattern, date-time).
/// </summary>
internal sealed partial class PartnerApiDocument(JsonObject root, string mediaType)
{
    private static readonly string[] HttpMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    public JsonObject Root => root;

    /// <summary>The media type the document was served with.</summary>
    public string MediaType => mediaType;

    /// <summary>Every operation, as (upper-case method, path template, operation object).</summary>
    public IReadOnlyList<Operation> Operations =>
        [.. from path in root["paths"]!.AsObject()
            from method in HttpMethods
            where path.Value![method] is JsonObject
            select new Operation(method.ToUpperInvariant(), path.Key, path.Value![method]!.AsObject())];

    /// <summary>Fetches the document without an API key.</summary>
    public static async Task<PartnerApiDocument> FetchAsync(HttpClient http)
    {
        using var response = await http.GetAsync(ApiDocumentation.DocumentPath);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        return new PartnerApiDocument(JsonNode.Parse(text)!.AsObject(), response.Content.Headers.ContentType?.MediaType ?? "");
    }

    /// <summary>The node a local reference (<c>#/components/...</c>) points to, or null.</summary>
    public JsonNode? Pointer(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            return null;
        }

        JsonNode? node = root;
        foreach (var raw in reference[2..].Split('/'))
        {
            var name = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonObject o => o[name],
                JsonArray a when int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>Follows <c>$ref</c> until a node that is not a reference.</summary>
    public JsonNode Resolve(JsonNode node)
    {
        for (var hops = 0; node is JsonObject o && o["$ref"]?.GetValue<string>() is { } reference; hops++)
        {
            Assert.True(hops < 20, $"The reference chain at '{reference}' does not end.");
            node = Pointer(reference) ?? throw new InvalidOperationException($"'{reference}' does not resolve.");
        }

        return node;
    }

    /// <summary>Every <c>$ref</c> in the document that points nowhere, with where it is.</summary>
    public IEnumerable<string> UnresolvedReferences() => UnresolvedReferences(root, "#");

    private IEnumerable<string> UnresolvedReferences(JsonNode? node, string at)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o)
                {
                    if (name == "$ref" && (value?.GetValueKind() != JsonValueKind.String || Pointer(value.GetValue<string>()) is null))
                    {
                        yield return $"{at}: {value?.ToJsonString()}";
                    }

                    foreach (var problem in UnresolvedReferences(value, $"{at}/{name}"))
                    {
                        yield return problem;
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    foreach (var problem in UnresolvedReferences(a[i], $"{at}/{i}"))
                    {
                        yield return problem;
                    }
                }

                break;
        }
    }

    /// <summary>The operation's parameters, references resolved (path-level ones first).</summary>
    public IEnumerable<JsonObject> Parameters(Operation operation)
    {
        var pathLevel = root["paths"]![operation.Path]!["parameters"]?.AsArray() ?? [];
        var own = operation.Body["parameters"]?.AsArray() ?? [];
        return pathLevel.Concat(own).Select(p => Resolve(p!).AsObject());
    }

    /// <summary>The documented response for a status code (or <c>default</c>), resolved; null when undocumented.</summary>
    public JsonObject? Response(Operation operation, int status)
    {
        var responses = operation.Body["responses"]!.AsObject();
        var response = responses[status.ToString(CultureInfo.InvariantCulture)] ?? responses["default"];
        return response is null ? null : Resolve(response).AsObject();
    }

    /// <summary>The schema a documented response or request body gives for a media type, or null.</summary>
    public static JsonNode? SchemaFor(JsonObject responseOrBody, MediaTypeHeaderValue? contentType)
    {
        if (responseOrBody["content"] is not JsonObject content || contentType?.MediaType is not { } media)
        {
            return null;
        }

        return content.FirstOrDefault(c => string.Equals(c.Key, media, StringComparison.OrdinalIgnoreCase)).Value?["schema"];
    }

    /// <summary>
    /// Every example the document gives for a request or response body, as (where, schema, value); references to
    /// <c>components/examples</c> resolved.
    /// </summary>
    public IEnumerable<(string At, JsonNode Schema, JsonNode? Value)> Examples()
    {
        foreach (var operation in Operations)
        {
            var bodies = new List<(string, JsonObject)>();
            if (operation.Body["requestBody"] is { } request)
            {
                bodies.Add(($"{operation} request", Resolve(request).AsObject()));
            }

            bodies.AddRange(operation.Body["responses"]!.AsObject().Select(r => ($"{operation} {r.Key}", Resolve(r.Value!).AsObject())));
            foreach (var (at, body) in bodies)
            {
                foreach (var (media, value) in body["content"]?.AsObject() ?? [])
                {
                    var schema = value!["schema"]!;
                    if (value["example"] is { } example)
                    {
                        yield return ($"{at} {media} example", schema, example);
                    }

                    foreach (var (name, named) in value["examples"]?.AsObject() ?? [])
                    {
                        yield return ($"{at} {media} examples.{name}", schema, Resolve(named!)["value"]);
                    }
                }
            }
        }
    }

    /// <summary>The first example of the operation's request body, with its media type; null when it has none.</summary>
    public (string MediaType, JsonNode? Value)? RequestExample(Operation operation)
    {
        if (operation.Body["requestBody"] is not { } request)
        {
            return null;
        }

        var (media, content) = Resolve(request)["content"]!.AsObject().First();
        var example = content!["example"] ?? content["examples"]?.AsObject().Select(e => Resolve(e.Value!)["value"]).FirstOrDefault();
        return (media, example);
    }

    /// <summary>What is wrong with <paramref name="value"/> against <paramref name="schema"/>, one line per problem.</summary>
    public List<string> Validate(JsonNode? value, JsonNode schema, string at = "$")
    {
        var problems = new List<string>();
        Check(value, schema, at, problems);
        return problems;
    }

    private void Check(JsonNode? value, JsonNode schemaNode, string at, List<string> problems)
    {
        if (schemaNode is JsonValue boolean && boolean.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            if (boolean.GetValueKind() == JsonValueKind.False)
            {
                problems.Add($"{at}: no value is allowed here");
            }

            return;
        }

        var schema = schemaNode.AsObject();
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            Check(value, Pointer(reference) ?? throw new InvalidOperationException($"'{reference}' does not resolve."), at, problems);
        }

        var kind = value?.GetValueKind() ?? JsonValueKind.Null;
        if (schema["type"] is { } type)
        {
            var allowed = type is JsonArray types ? types.Select(t => t!.GetValue<string>()).ToArray() : [type.GetValue<string>()];
            if (!allowed.Any(t => IsOfType(value, kind, t)))
            {
                problems.Add($"{at}: expected {string.Join(" or ", allowed)}, got {Describe(value)}");
                return;
            }
        }

        if (schema["enum"] is JsonArray choices && !choices.Any(choice => JsonNode.DeepEquals(choice, value)))
        {
            problems.Add($"{at}: {Describe(value)} is not one of {choices.ToJsonString()}");
        }

        if (schema["const"] is { } constant && !JsonNode.DeepEquals(constant, value))
        {
            problems.Add($"{at}: {Describe(value)} is not {constant.ToJsonString()}");
        }

        foreach (var part in schema["allOf"]?.AsArray() ?? [])
        {
            Check(value, part!, at, problems);
        }

        if (schema["anyOf"] is JsonArray anyOf && !anyOf.Any(part => Validate(value, part!, at).Count == 0))
        {
            problems.Add($"{at}: {Describe(value)} matches none of anyOf ({string.Join("; ", anyOf.SelectMany(part => Validate(value, part!, at)).Take(3))})");
        }

        if (schema["oneOf"] is JsonArray oneOf && oneOf.Count(part => Validate(value, part!, at).Count == 0) != 1)
        {
            problems.Add($"{at}: {Describe(value)} does not match exactly one of oneOf");
        }

        switch (value)
        {
            case JsonObject o:
                CheckObject(o, schema, at, problems);
                break;
            case JsonArray a:
                CheckArray(a, schema, at, problems);
                break;
            case JsonValue v when kind == JsonValueKind.String:
                CheckString(v.GetValue<string>(), schema, at, problems);
                break;
            case JsonValue v when kind == JsonValueKind.Number:
                var number = v.GetValue<double>();
                if (schema["minimum"]?.GetValue<double>() is { } minimum && number < minimum)
                {
                    problems.Add($"{at}: {number} is below {minimum}");
                }

                if (schema["maximum"]?.GetValue<double>() is { } maximum && number > maximum)
                {
                    problems.Add($"{at}: {number} is above {maximum}");
                }

                break;
        }
    }

    private void CheckObject(JsonObject value, JsonObject schema, string at, List<string> problems)
    {
        foreach (var name in schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
        {
            if (!value.ContainsKey(name))
            {
                problems.Add($"{at}: the required '{name}' is missing");
            }
        }

        var properties = schema["properties"]?.AsObject();
        foreach (var (name, property) in value)
        {
            if (properties?[name] is { } propertySchema)
            {
                Check(property, propertySchema, $"{at}.{name}", problems);
            }
            else if (schema["additionalProperties"] is { } additional)
            {
                Check(property, additional, $"{at}.{name}", problems);
            }
        }
    }

    private void CheckArray(JsonArray value, JsonObject schema, string at, List<string> problems)
    {
        if (schema["minItems"]?.GetValue<int>() is { } min && value.Count < min)
        {
            problems.Add($"{at}: {value.Count} items, at least {min} expected");
        }

        if (schema["maxItems"]?.GetValue<int>() is { } max && value.Count > max)
        {
            problems.Add($"{at}: {value.Count} items, at most {max} expected");
        }

        if (schema["items"] is { } items)
        {
            for (var i = 0; i < value.Count; i++)
            {
                Check(value[i], items, $"{at}[{i}]", problems);
            }
        }
    }

    private static void CheckString(string text, JsonObject schema, string at, List<string> problems)
    {
        if (schema["minLength"]?.GetValue<int>() is { } min && text.Length < min)
        {
            problems.Add($"{at}: '{text}' is shorter than {min}");
        }

        if (schema["maxLength"]?.GetValue<int>() is { } max && text.Length > max)
        {
            problems.Add($"{at}: '{text}' is longer than {max}");
        }

        if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            problems.Add($"{at}: '{text}' does not match {pattern}");
        }

        if (schema["format"]?.GetValue<string>() == "date-time" && !DateTimeRegex().IsMatch(text))
        {
            problems.Add($"{at}: '{text}' is not an RFC 3339 date-time");
        }
    }

    private static bool IsOfType(JsonNode? value, JsonValueKind kind, string type) => type switch
    {
        "null" => kind == JsonValueKind.Null,
        "object" => kind == JsonValueKind.Object,
        "array" => kind == JsonValueKind.Array,
        "string" => kind == JsonValueKind.String,
        "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
        "number" => kind == JsonValueKind.Number,
        "integer" => kind == JsonValueKind.Number && double.IsInteger(value!.GetValue<double>()),
        _ => throw new InvalidOperationException($"Unknown JSON Schema type '{type}'."),
    };

    private static string Describe(JsonNode? value)
    {
        var text = value?.ToJsonString() ?? "null";
        return text.Length > 80 ? text[..80] + "..." : text;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|z|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTimeRegex();

    /// <summary>One operation of the document.</summary>
    public sealed record Operation(string Method, string Path, JsonObject Body)
    {
        public string Id => Body["operationId"]?.GetValue<string>() ?? "";

        public override string ToString() => $"{Method} {Path}";
    }
}
