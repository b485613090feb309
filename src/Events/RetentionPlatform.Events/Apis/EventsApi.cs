using System.Buffers;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RetentionPlatform.EventBus;
using RetentionPlatform.Events.Model;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Events.Apis;

/// <summary>Event ingestion (reached through the gateway at <c>/v1/events</c>).</summary>
public static partial class EventsApi
{
    /// <summary>Largest single event body accepted.</summary>
    public const int MaxEventBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/events", PostEventAsync)
            .RequireTenant()
            .WithMetadata(new RequestSizeLimitAttribute(MaxEventBytes))
            .WithTags("Events")
            .WithName("PostEvent");
        return routes;
    }

    public static async Task<Results<Accepted<EventAccepted>, ProblemHttpResult, ValidationProblem>> PostEventAsync(
        HttpContext context, IEventPublisher publisher, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        if (!context.Request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", detail: "Send the event as application/json.");
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON", detail: $"The body is not valid JSON: {ex.Message}");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Event too large", detail: $"An event may be at most {MaxEventBytes} bytes.");
        }

        using (document)
        {
            var (incoming, errors) = EventValidator.Validate(document.RootElement, timeProvider.GetUtcNow());
            if (incoming is null)
            {
                return TypedResults.ValidationProblem(errors, title: "The event is invalid");
            }

            var tenant = context.GetTenantId();
            var envelope = new EventEnvelope(incoming.EventId, incoming.Type, tenant, incoming.CustomerId, incoming.OccurredAt, EventMessageCodec.CurrentSchemaVersion, Serialize(incoming));
            try
            {
                await publisher.PublishAsync(EventTopics.CustomerEvents, envelope, context.RequestAborted);
            }
            catch (KafkaException ex)
            {
                LogPublishFailed(loggerFactory.CreateLogger(typeof(EventsApi)), ex, incoming.EventId, ex.Error.Reason);
                context.Response.Headers.RetryAfter = "1";
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Event bus unavailable", detail: "The event was not stored; send it again with the same eventId.");
            }

            return TypedResults.Accepted((string?)null, new EventAccepted(incoming.EventId, "accepted"));
        }
    }

    private static byte[] Serialize(IncomingEvent incoming)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("eventId", incoming.EventId);
            writer.WriteString("type", incoming.Type);
            writer.WriteString("customerId", incoming.CustomerId);
            writer.WriteString("occurredAt", incoming.OccurredAt);
            if (incoming.Properties is { } properties)
            {
                writer.WritePropertyName("properties");
                properties.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    [LoggerMessage(LogLevel.Error, "Publishing event {EventId} failed: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string eventId, string reason);
}
