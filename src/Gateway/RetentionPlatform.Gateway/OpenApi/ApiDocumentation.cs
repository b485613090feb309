using Scalar.AspNetCore;

namespace RetentionPlatform.Gateway.OpenApi;

/// <summary>
/// The partner API's one OpenAPI document and its browsable UI, served by the gateway without an API key.
/// The document is written by hand (<c>partner-api.v1.json</c>, embedded in this assembly): the routes live in
/// other processes and read their bodies by hand, so nothing here could generate it. The end-to-end tests
/// compare it with every route the services map, so it cannot drift from the code.
/// </summary>
public static class ApiDocumentation
{
    /// <summary>Where the OpenAPI 3.1 document is served.</summary>
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>Where the Scalar API reference is served.</summary>
    public const string UiPath = "/docs";

    private const string ResourceName = "RetentionPlatform.Gateway.OpenApi.partner-api.v1.json";

    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        var document = ReadDocument();
        app.MapGet(DocumentPath, () => TypedResults.Bytes(document, "application/json"))
            .AllowAnonymous()
            .WithName("GetOpenApiDocument");

        app.MapScalarApiReference(UiPath, (options, context) =>
        {
            // Offline by design: the JS bundle comes from this package (served under /docs), and nothing is
            // fetched from or linked to Scalar's CDN or services (fonts, telemetry, the AI agent, MCP, developer tools).
            options.WithTitle("RetentionPlatform partner API")
                .WithOpenApiRoutePattern(DocumentPath)
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .HideDeveloperTools()
                .ExpandAllTags()
                .WithShowExtensions("x-required-scope")
                .AddPreferredSecuritySchemes(["bearer"]);
            // "Try it" goes to the gateway that served the page, whatever port it listens on.
            options.Servers = [new ScalarServer($"{context.Request.Scheme}://{context.Request.Host}", "This gateway")];
        }).AllowAnonymous();
        return app;
    }

    private static byte[] ReadDocument()
    {
        using var stream = typeof(ApiDocumentation).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded OpenAPI document '{ResourceName}' is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
