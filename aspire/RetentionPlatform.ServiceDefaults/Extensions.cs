using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Cross-cutting wiring every RetentionPlatform service shares: OpenTelemetry, health checks,
/// service discovery and HTTP resilience. Services read the Aspire environment contract
/// (<c>ConnectionStrings__*</c>, <c>services__*</c>, <c>OTEL_*</c>), so they run unchanged under the
/// standalone host, an Aspire AppHost, or on their own.
/// </summary>
public static class Extensions
{
    /// <summary>Prefix of every activity source and meter the platform's own code creates.</summary>
    public const string PlatformTelemetryPrefix = "RetentionPlatform";

    /// <summary>
    /// Configuration switch set by a host that runs several services in one process. Activity and meter
    /// listeners are process-wide, so one shared pipeline (see <see cref="AddPlatformTracing"/>)
    /// records traces and metrics once, while each service keeps its own named log pipeline.
    /// </summary>
    public const string SharedProcessTelemetryKey = "Telemetry:SharedProcessPipeline";

    /// <summary>Every check: what the Aspire AppHost's <c>WithHttpHealthCheck</c> and <c>WaitFor</c> watch.</summary>
    public const string HealthEndpointPath = "/health";

    /// <summary>Liveness: the process answers (restart it when this fails).</summary>
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>Readiness: the service's dependencies answer (PostgreSQL, Kafka, loaded models; send it no traffic while this fails).</summary>
    public const string ReadinessEndpointPath = "/ready";

    private const string LiveTag = "live";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        builder.Services.AddProblemDetails();
        // After ASP.NET Core's writer, so it answers only what that one declines (an Accept without JSON).
        builder.Services.AddSingleton<Microsoft.AspNetCore.Http.IProblemDetailsWriter, JsonProblemDetailsWriter>();
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry();
        if (!builder.Configuration.GetValue<bool>(SharedProcessTelemetryKey))
        {
            telemetry.WithMetrics(metrics => metrics.AddPlatformMetrics())
                     .WithTracing(tracing => tracing.AddPlatformTracing());
        }

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Every meter the platform records: ASP.NET Core, HTTP client, runtime, Npgsql, Orleans, our own.</summary>
    public static MeterProviderBuilder AddPlatformMetrics(this MeterProviderBuilder metrics) =>
        metrics.AddAspNetCoreInstrumentation()
               .AddHttpClientInstrumentation()
               .AddRuntimeInstrumentation()
               .AddNpgsqlInstrumentation()
               .AddMeter("Microsoft.Orleans")
               .AddMeter(PlatformTelemetryPrefix + ".*");

    /// <summary>Every activity source the platform traces: ours, Orleans grain calls, ASP.NET Core, gRPC and HTTP clients, Npgsql.</summary>
    public static TracerProviderBuilder AddPlatformTracing(this TracerProviderBuilder tracing)
    {
        // ASP.NET Core's instrumentation extracts a request's traceparent a second time with OpenTelemetry's default
        // propagator unless that is the plain W3C one; once the SDK has set it to trace context + baggage (the
        // standalone host's Sdk.CreateTracerProviderBuilder does), a caller's traceparent became the parent of a
        // second server span, bypassing the gateway's RootTracePropagator: the caller chose the trace id. With the
        // W3C propagator, extraction stays with the DistributedContextPropagator each host registers. Process-wide,
        // like every activity listener; nothing in the platform uses baggage.
        Sdk.SetDefaultTextMapPropagator(new TraceContextPropagator());
        return tracing.AddSource(PlatformTelemetryPrefix + ".*")
               // Grain calls; not Microsoft.Orleans.Runtime, whose membership pings, timers and directory lookups
               // would each be a trace of their own.
               .AddSource("Microsoft.Orleans.Application")
               .AddAspNetCoreInstrumentation(options =>
                   // Probes arrive every few seconds from an orchestrator (the AppHost polls /health): they would
                   // drown the traces a developer wants to see.
                   options.Filter = context => !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                                               && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath)
                                               && !context.Request.Path.StartsWithSegments(ReadinessEndpointPath))
               .AddGrpcClientInstrumentation()
               .AddHttpClientInstrumentation()
               .AddNpgsql();
    }

    /// <summary>
    /// Traces a command only when it runs inside a trace (a request, a consumed event, a grain call). A poller's query
    /// every second would otherwise be a trace of its own and bury the ones a developer looks for in the dashboard;
    /// its timing still reaches Npgsql's metrics.
    /// </summary>
    public static NpgsqlDataSourceBuilder TraceCommandsWithinTraces(this NpgsqlDataSourceBuilder dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return dataSource.ConfigureTracing(tracing => tracing
            .ConfigureCommandFilter(_ => System.Diagnostics.Activity.Current is not null)
            .ConfigureBatchFilter(_ => System.Diagnostics.Activity.Current is not null));
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// <c>/health</c> (every check passes), <c>/alive</c> (liveness: the process responds) and <c>/ready</c> (readiness:
    /// every dependency check passes, that is every check not tagged <c>live</c>); and
    /// ProblemDetails for every error, including unhandled exceptions and bodiless statuses such as a
    /// proxy's 502, so every route answers errors in the same shape.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
        });
        app.MapHealthChecks(ReadinessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => !check.Tags.Contains(LiveTag),
        });
        return app;
    }
}
