using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace RetentionPlatform.Benchmarks;

/// <summary>
/// Builds the JSON bodies every target receives: the same shape (and size) for the empty endpoint and the
/// platform, with event ids unique to the run, phase and sequence number.
/// </summary>
public sealed class EventBodies(string runId)
{
    /// <summary>The event type every body carries (part of the v1 catalog).</summary>
    public const string EventType = "page_viewed";

    /// <summary>A body for event <paramref name="sequence"/> of <paramref name="phase"/>, for <paramref name="customerId"/>.</summary>
    public ByteArrayContent Create(string phase, long sequence, string customerId)
    {
        // occurredAt is "now" (the events service refuses times in the future) at whole seconds.
        var occurredAt = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var json = string.Create(CultureInfo.InvariantCulture,
            $$$"""{"eventId":"{{{runId}}}-{{{phase}}}-{{{sequence}}}","type":"{{{EventType}}}","customerId":"{{{customerId}}}","occurredAt":"{{{occurredAt}}}","properties":{"page":"/pricing","referrer":"newsletter","sequence":{{{sequence}}}}}""");
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
