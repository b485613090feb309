using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;
using RetentionPlatform.Gateway.OpenApi;
using RetentionPlatform.Standalone;
using Xunit.Abstractions;
using Yarp.ReverseProxy.Model;

namespace RetentionPlatform.EndToEnd.Tests;

/// <summary>
/// The hand-written OpenAPI document the gateway serves, held to the code: it is a valid OpenAPI 3.1 document whose
/// examples match its schemas; its operations are exactly the routes the services and the gateway map; each names the
/// scope the gateway enforces; and every example request, sent through the gateway, succeeds with an answer it documents.
/// </summary>
public sealed class OpenApiDocumentTests(PlatformFixture fixture, ITestOutputHelper output) : IClassFixture<PlatformFixture>, IDisposable
{
    private static readonly string[] Scopes = ["ingest", "read", "write", "admin"];

    private readonly HttpClient _http = new() { BaseAddress = fixture.Platform.GatewayHttpUrl };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task TheGatewayServesAnOpenApi31DocumentWithoutAKeyWhoseOperationsAreCompleteAndWhoseReferencesResolve()
    {
        var document = await PartnerApiDocument.FetchAsync(_http);
        var root = document.Root;
        Assert.Equal("application/json", document.MediaType);
        Assert.StartsWith("3.1", (string?)root["openapi"], StringComparison.Ordinal);
        Assert.Equal("RetentionPlatform partner API", (string?)root["info"]!["title"]);
        Assert.Equal("v1", (string?)root["info"]!["version"]);
        Assert.Contains(root["servers"]!.AsArray(), server => (string?)server!["url"] == "http://localhost:8080");
        var schemes = root["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal(("http", "bearer"), ((string?)schemes["bearer"]!["type"], (string?)schemes["bearer"]!["scheme"]));
        Assert.Equal(("apiKey", "header", "X-Api-Key"), ((string?)schemes["apiKey"]!["type"], (string?)schemes["apiKey"]!["in"], (string?)schemes["apiKey"]!["name"]));
        Assert.Equal(("http", "bearer"), ((string?)schemes["operator"]!["type"], (string?)schemes["operator"]!["scheme"]));
        Assert.Empty(document.UnresolvedReferences());

        var tags = root["tags"]!.AsArray().Select(t => (string?)t!["name"]).ToHashSet();
        var problems = new List<string>();
        foreach (var operation in document.Operations)
        {
            var body = operation.Body;
            void Require(bool condition, string what)
            {
                if (!condition)
                {
                    problems.Add($"{operation}: {what}");
                }
            }

            Require(!string.IsNullOrWhiteSpace(operation.Id), "no operationId");
            Require(!string.IsNullOrWhiteSpace((string?)body["summary"]), "no summary");
            Require(!string.IsNullOrWhiteSpace((string?)body["description"]), "no description");
            Require(body["tags"] is JsonArray { Count: > 0 } operationTags && operationTags.All(t => tags.Contains((string?)t)), "no tag, or one not declared in 'tags'");
            if (IsOperatorOperation(operation))
            {
                Require(body["x-required-scope"] is null, "an operator operation names a partner scope");
            }
            else
            {
                var scope = (string?)body["x-required-scope"];
                Require(Scopes.Contains(scope), $"x-required-scope '{scope}' is not one of {string.Join(", ", Scopes)}");
                Require(((string?)body["description"])?.Contains($"`{scope}` scope", StringComparison.Ordinal) == true, "the description does not state the scope");
            }

            var parameters = document.Parameters(operation).ToList();
            foreach (var name in PathParameterNames(operation.Path))
            {
                Require(parameters.Any(p => (string?)p["in"] == "path" && (string?)p["name"] == name && (bool?)p["required"] == true), $"the path parameter '{name}' is not declared");
            }

            if (operation.Method == "POST")
            {
                Require(parameters.Any(p => (string?)p["in"] == "header" && (string?)p["name"] == "Idempotency-Key"), "a POST without the Idempotency-Key header");
            }

            Require(document.Response(operation, 401) is not null, "401 is not documented");
            Require(document.Response(operation, 429)?["headers"]?["Retry-After"] is not null, "429 with Retry-After is not documented");
            Require(body["responses"]!.AsObject().Any(r => r.Key.StartsWith('2')), "no success response");
        }

        var duplicateIds = document.Operations.GroupBy(o => o.Id).Where(g => g.Count() > 1).Select(g => g.Key);
        problems.AddRange(duplicateIds.Select(id => $"operationId '{id}' is used more than once"));
        Assert.True(problems.Count == 0, "The document is incomplete:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task EveryExampleInTheDocumentMatchesItsSchema()
    {
        var document = await PartnerApiDocument.FetchAsync(_http);
        var examples = document.Examples().ToList();
        Assert.True(examples.Count > document.Operations.Count, $"Only {examples.Count} examples for {document.Operations.Count} operations.");
        var problems = examples.SelectMany(e => document.Validate(e.Value, e.Schema).Select(p => $"{e.At}: {p}")).ToList();
        Assert.True(problems.Count == 0, "Examples that contradict their schemas:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task TheDocumentHasExactlyTheRoutesTheServicesAndTheGatewayMap()
    {
        var document = await PartnerApiDocument.FetchAsync(_http);
        var documented = document.Operations.Select(o => (o.Method, Shape: ShapeOf(o.Path))).ToHashSet();
        var code = CodeRoutes(fixture.Platform).ToList();
        Assert.Contains(code, r => r.Method == "GET" && r.Shape == "/v1/customers/{}");

        foreach (var route in code.OrderBy(r => r.Shape).ThenBy(r => r.Method))
        {
            output.WriteLine($"{route.Method} {route.Shape}   ({route.Source})");
        }

        var shapes = code.Select(r => (r.Method, r.Shape)).ToHashSet();
        var undocumented = code.Where(r => !documented.Contains((r.Method, r.Shape))).Select(r => $"  {r.Method} {r.Shape}   ({r.Source})").Distinct().Order().ToList();
        var missing = document.Operations.Where(o => !shapes.Contains((o.Method, ShapeOf(o.Path)))).Select(o => $"  {o} ({o.Id})").Order().ToList();
        Assert.True(undocumented.Count == 0 && missing.Count == 0,
            $"The OpenAPI document and the code differ.\nRoutes in the code, missing from the document ({undocumented.Count}):\n{string.Join("\n", undocumented)}\n"
            + $"Operations in the document that no service or the gateway maps ({missing.Count}):\n{string.Join("\n", missing)}");
    }

    [Fact]
    public async Task EveryOperationNamesThePolicyTheGatewayEnforcesOnItsRoute()
    {
        var document = await PartnerApiDocument.FetchAsync(_http);
        var gateway = fixture.Platform.Services["gateway"].Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var problems = new List<string>();
        foreach (var operation in document.Operations)
        {
            var expected = IsOperatorOperation(operation) ? "operator" : (string?)operation.Body["x-required-scope"];
            var route = GatewayEndpointFor(gateway, operation.Method, SamplePath(operation.Path));
            if (route is null)
            {
                problems.Add($"  {operation}: the gateway has no route for it");
                continue;
            }

            var policies = route.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToList();
            if (policies is not [var policy] || policy != expected)
            {
                problems.Add($"  {operation}: the document says '{expected}', the gateway's route '{route.DisplayName}' requires '{string.Join(", ", policies)}'");
            }
        }

        Assert.True(problems.Count == 0, "Scopes in the document that the gateway does not enforce:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task EveryExampleRequestSentThroughTheGatewayGetsADocumentedAnswer()
    {
        var document = await PartnerApiDocument.FetchAsync(_http);
        using var demo = new PartnerClient(fixture.Platform.GatewayHttpUrl, StandaloneOptions.DemoApiKey);
        var customer = $"openapi-{Guid.NewGuid():N}";
        (await demo.PostEventAsync($"e-{Guid.NewGuid():N}", customer)).EnsureSuccessStatusCode();
        await demo.WaitForProfileAsync(customer, 1);

        // Path parameters: what the test made, or what an earlier example created under the parent path
        // (POST /admin/v1/tenants answers the tenant's id, POST .../keys the key's prefix, others the created thing's
        // Location), else the document's example for the parameter: the ids its request examples name each other by.
        var defaults = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["customerId"] = Uri.EscapeDataString(customer),
            ["segmentId"] = $"openapi-{Guid.NewGuid():N}",
            ["tenantId"] = StandaloneOptions.DemoTenant,
            ["prefix"] = "rpk_unknown0",
            ["itemId"] = $"openapi-{Guid.NewGuid():N}",
        };
        var created = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        var sent = 0;
        // Within a method, the document's order: it lists what others need first (a location before the resources
        // working there, a booking before its changes).
        foreach (var operation in document.Operations.OrderBy(o => MethodOrder(o.Method)))
        {
            using var request = new HttpRequestMessage(new HttpMethod(operation.Method), Concrete(document, operation, defaults, created));
            var key = IsOperatorOperation(operation) ? StandaloneOptions.OperatorKey : StandaloneOptions.DemoApiKey;
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            if (operation.Method == "POST")
            {
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            }

            if (document.RequestExample(operation) is { } example)
            {
                request.Content = new StringContent(example.Value?.ToJsonString() ?? "null", Encoding.UTF8, example.MediaType);
            }

            using var response = await _http.SendAsync(request);
            sent++;
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            var where = $"  {operation} ({request.RequestUri}) -> {status}";
            output.WriteLine($"{where}: {Shorten(text)}");
            var documented = document.Response(operation, status);
            if (documented is null)
            {
                problems.Add($"{where}, which is not documented: {Shorten(text)}");
                continue;
            }

            if (request.Content is not null && status is < 200 or >= 300)
            {
                problems.Add($"{where}: the API refuses the document's own example: {Shorten(text)}");
            }

            if (!response.Headers.Contains("X-Request-Id"))
            {
                problems.Add($"{where} without the documented X-Request-Id header");
            }

            if (text.Length > 0 && PartnerApiDocument.SchemaFor(documented, response.Content.Headers.ContentType) is { } schema)
            {
                var body = JsonNode.Parse(text);
                problems.AddRange(document.Validate(body, schema).Select(p => $"{where}: {p}"));
                if (operation.Method == "POST" && status is >= 200 and < 300 && body is JsonObject answer
                    && ((string?)answer["prefix"] ?? (string?)answer["id"] ?? response.Headers.Location?.OriginalString.Split('/')[^1]) is { } id)
                {
                    created[operation.Path] = id;
                }
            }
            else if (text.Length > 0 && documented["content"] is JsonObject content)
            {
                problems.Add($"{where} as '{response.Content.Headers.ContentType}', documented as {string.Join(", ", content.Select(c => c.Key))}");
            }
        }

        Assert.Equal(document.Operations.Count, sent);
        Assert.True(problems.Count == 0, "Answers the document does not describe:\n" + string.Join("\n", problems));
    }

    private static bool IsOperatorOperation(PartnerApiDocument.Operation operation) =>
        operation.Body["security"] is JsonArray security && security.Any(s => s is JsonObject o && o.ContainsKey("operator"));

    private static IEnumerable<string> PathParameterNames(string path) =>
        path.Split('/').Where(s => s.StartsWith('{') && s.EndsWith('}')).Select(s => s[1..^1]);

    /// <summary>A route's shape: literal segments lower-cased, every parameter <c>{}</c> (catch-alls <c>{**}</c>), no trailing slash.</summary>
    private static string ShapeOf(string template) =>
        "/" + string.Join('/', template.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.StartsWith("{*", StringComparison.Ordinal) ? "{**}" : s.StartsWith('{') ? "{}" : s.ToLowerInvariant()));

    private static string ShapeOf(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content.ToLowerInvariant(),
            RoutePatternParameterPart { IsCatchAll: true } => "{**}",
            RoutePatternParameterPart => "{}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "?",
        }))));

    /// <summary>
    /// Every HTTP route each service and the gateway map, as (method, shape, where it comes from); without health
    /// checks, gRPC, the gateway's proxy routes (they forward to the services listed here), fallbacks, and this
    /// document and its UI.
    /// </summary>
    private static IEnumerable<(string Method, string Shape, string Source)> CodeRoutes(StandalonePlatform platform)
    {
        foreach (var (service, app) in platform.Services)
        {
            foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
            {
                var shape = ShapeOf(endpoint.RoutePattern);
                var isGrpc = endpoint.Metadata.Any(m => m.GetType().FullName == "Grpc.AspNetCore.Server.GrpcMethodMetadata")
                             || endpoint.DisplayName?.StartsWith("gRPC", StringComparison.Ordinal) == true;
                var isFallback = endpoint.RoutePattern.PathSegments is [{ Parts: [RoutePatternParameterPart { IsCatchAll: true }] }];
                if (isGrpc || isFallback || endpoint.Metadata.GetMetadata<RouteModel>() is not null
                    || shape is "/health" or "/alive" or "/ready" || shape.StartsWith(ApiDocumentation.UiPath, StringComparison.Ordinal) || shape == ApiDocumentation.DocumentPath
                    || IsCustomerLinkPage(service, shape))
                {
                    continue;
                }

                var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
                foreach (var method in methods is { Count: > 0 } ? methods : ["(any method)"])
                {
                    yield return (method, shape, $"{service}: {endpoint.DisplayName}");
                }
            }
        }
    }

    /// <summary>
    /// Notifications' pages behind the links in customers' emails (<c>/m/...</c>, reached through the gateway's public
    /// route without a key): customer pages whose signed token is their authorisation, not partner API, so not in the
    /// partner document.
    /// </summary>
    private static bool IsCustomerLinkPage(string service, string shape) =>
        service == "notifications" && shape.StartsWith("/m/", StringComparison.Ordinal);

    /// <summary>The endpoint the gateway's routing picks for a request: lowest order, then the most specific pattern.</summary>
    private static RouteEndpoint? GatewayEndpointFor(List<RouteEndpoint> endpoints, string method, string path) =>
        endpoints
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is not { HttpMethods.Count: > 0 } m || m.HttpMethods.Contains(method))
            .Where(e => new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary()).TryMatch(path, new RouteValueDictionary()))
            .OrderBy(e => e.Order)
            .ThenBy(e => RoutePrecedence.ComputeInbound(new RouteTemplate(e.RoutePattern)))
            .FirstOrDefault();

    private static string SamplePath(string template) =>
        string.Join('/', template.Split('/').Select(s => s.StartsWith('{') ? "sample-1" : s));

    private static string Concrete(PartnerApiDocument document, PartnerApiDocument.Operation operation, Dictionary<string, string> defaults, Dictionary<string, string> created)
    {
        var segments = operation.Path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i] is ['{', .. var name, '}'])
            {
                segments[i] = created.TryGetValue(string.Join('/', operation.Path.Split('/')[..i]), out var made) ? made
                    : defaults.TryGetValue(name, out var value) ? value
                    : Uri.EscapeDataString(document.Parameters(operation).First(p => (string?)p["in"] == "path" && (string?)p["name"] == name)["example"]!.ToString());
            }
        }

        var query = document.Parameters(operation)
            .Where(p => (string?)p["in"] == "query" && (bool?)p["required"] == true)
            .Select(p => $"{p["name"]}={Uri.EscapeDataString(p["example"]?.ToString() ?? "")}");
        return string.Join('/', segments) + (query.Any() ? "?" + string.Join('&', query) : "");
    }

    /// <summary>
    /// PUT first (it creates what its path names and needs no earlier answer), then POST (which may refer to what a PUT
    /// made, and answers ids later operations use), PATCH, GET, and DELETE last.
    /// </summary>
    private static int MethodOrder(string method) => method switch
    {
        "PUT" => 0,
        "POST" => 1,
        "PATCH" => 2,
        "GET" => 3,
        _ => 4,
    };

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "..." : text;
}
