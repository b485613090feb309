using System.Runtime.InteropServices;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using RetentionPlatform.Events.Infrastructure;
using RetentionPlatform.Events.Model;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Events.Apis;

/// <summary>
/// Event ingestion (reached through the gateway at <c>/v1/events</c>): one event, or a batch of up to
/// <see cref="MaxBatchEvents"/>. An event id the tenant sent before is answered as a duplicate and not published again.
/// </summary>
public static class EventsApi
{
    /// <summary>Largest single event accepted, as sent (alone, or as one item of a batch).</summary>
    public const int MaxEventBytes = 64 * 1024;

    /// <summary>Most events one batch may hold.</summary>
    public const int MaxBatchEvents = 1000;

    /// <summary>Largest batch body accepted.</summary>
    public const int MaxBatchBytes = 4 * 1024 * 1024;

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/events", PostEventAsync)
            .RequireTenant()
            .WithMetadata(new RequestSizeLimitAttribute(MaxEventBytes))
            .WithTags("Events")
            .WithName("PostEvent")
            .WithSummary("Ingest one event: 202 when it is new, 200 when its id was sent before");
        routes.MapPost("/v1/events/batch", PostEventBatchAsync)
            .RequireTenant()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBatchBytes))
            .WithTags("Events")
            .WithName("PostEventBatch")
            .WithSummary("Ingest up to 1,000 events, with a result per event in request order");
        return routes;
    }

    public static async Task<Results<Accepted<EventReceipt>, Ok<EventReceipt>, ProblemHttpResult, ValidationProblem>> PostEventAsync(
        HttpContext context, EventIngestor ingestor, TimeProvider timeProvider)
    {
        var (document, problem) = await ReadJsonAsync(context, "event", MaxEventBytes);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var (incoming, errors) = EventValidator.Validate(document!.RootElement, timeProvider.GetUtcNow());
            if (incoming is null)
            {
                return TypedResults.ValidationProblem(errors, title: "The event is invalid");
            }

            var (isNew, unavailable) = await IngestAsync(context, ingestor, [incoming], "The event was not stored; send it again with the same eventId.");
            if (unavailable is not null)
            {
                return unavailable;
            }

            return isNew![0]
                ? TypedResults.Accepted((string?)null, new EventReceipt(incoming.EventId, EventStatus.Accepted))
                : TypedResults.Ok(new EventReceipt(incoming.EventId, EventStatus.Duplicate));
        }
    }

    public static async Task<Results<Ok<BatchResult>, ProblemHttpResult, ValidationProblem>> PostEventBatchAsync(
        HttpContext context, EventIngestor ingestor, TimeProvider timeProvider)
    {
        var (document, problem) = await ReadJsonAsync(context, "batch", MaxBatchBytes);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return BatchProblem("$", "The body must be a JSON object with an 'events' array.");
            }

            if (!root.TryGetProperty("events", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                return BatchProblem("events", "The 'events' field is required and must be an array of events.");
            }

            var count = items.GetArrayLength();
            if (count is 0 or > MaxBatchEvents)
            {
                return BatchProblem("events", $"A batch holds 1 to {MaxBatchEvents} events; this one holds {count}.");
            }

            var now = timeProvider.GetUtcNow();
            var results = new BatchItemResult[count];
            var valid = new List<IncomingEvent>(count);
            var validIndexes = new List<int>(count);
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                var size = JsonMarshal.GetRawUtf8Value(item).Length;
                var (incoming, errors) = size > MaxEventBytes
                    ? (null, new Dictionary<string, string[]> { ["$"] = [$"The event is {size} bytes; an event may be at most {MaxEventBytes} bytes."] })
                    : EventValidator.Validate(item, now);
                if (incoming is null)
                {
                    // An invalid event was not received, so it has no event id: its index identifies it.
                    results[index] = new BatchItemResult(index, null, EventStatus.Invalid, errors);
                }
                else
                {
                    valid.Add(incoming);
                    validIndexes.Add(index);
                }

                index++;
            }

            var (isNew, unavailable) = await IngestAsync(
                context,
                ingestor,
                valid,
                "Some events may not have been published. Sending the same batch again is safe: events already published come back as duplicates.");
            if (unavailable is not null)
            {
                return unavailable;
            }

            for (var n = 0; n < valid.Count; n++)
            {
                results[validIndexes[n]] = new BatchItemResult(validIndexes[n], valid[n].EventId, isNew![n] ? EventStatus.Accepted : EventStatus.Duplicate);
            }

            var accepted = isNew!.Count(x => x);
            return TypedResults.Ok(new BatchResult(accepted, valid.Count - accepted, count - valid.Count, results));
        }
    }

    /// <summary>Reads the body as JSON, or says (as ProblemDetails) why it cannot be read.</summary>
    private static Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadJsonAsync(HttpContext context, string what, int maxBytes) =>
        JsonRequestBody.ReadAsync(context, what, maxBytes);

    /// <summary>Ingests the events, or answers 503 (with Retry-After) when PostgreSQL or Kafka cannot be reached.</summary>
    private static async Task<(bool[]? IsNew, ProblemHttpResult? Problem)> IngestAsync(
        HttpContext context, EventIngestor ingestor, IReadOnlyList<IncomingEvent> events, string publishFailedAdvice)
    {
        try
        {
            return (await ingestor.IngestAsync(context.GetTenantId(), events, context.RequestAborted), null);
        }
        catch (NpgsqlException)
        {
            context.Response.Headers.RetryAfter = "5";
            return (null, TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Duplicate check unavailable",
                detail: "Nothing was published because received event ids could not be checked; send the same request again."));
        }
        catch (KafkaException)
        {
            context.Response.Headers.RetryAfter = "1";
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Event bus unavailable", detail: publishFailedAdvice));
        }
    }

    private static ValidationProblem BatchProblem(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The batch is invalid");
}
