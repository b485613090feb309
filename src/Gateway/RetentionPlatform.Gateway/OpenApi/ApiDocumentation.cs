namespace RetentionPlatform.Gateway.OpenApi;

/// <summary>The partner API's one OpenAPI document and its browsable UI, served by the gateway.</summary>
public static class ApiDocumentation
{
    public static WebApplication MapApiDocumentation(this WebApplication app) => app;
}
