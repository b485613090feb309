using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Channels;

/// <summary>
/// POSTs a JSON body to a partner's or provider's endpoint and classifies the answer, for every HTTP channel alike:
/// 2xx sent; 408, 429, 5xx, timeouts and connection failures transient; 410 a permanent bounce; any other answer
/// permanent (redirects are not followed: an endpoint that moved must be configured anew).
/// </summary>
internal sealed partial class HttpEndpointPoster(IHttpClientFactory httpClientFactory, string clientName, ILogger logger)
{
    /// <summary>Every HTTP channel's budget for one request (connect, send, answer).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Posts the UTF-8 JSON body with the message id as <c>Idempotency-Key</c> and the channel's own headers; the
    /// endpoint is named by <c>what</c> ("webhook", "SMS provider") in error texts and logs.
    /// </summary>
    public async Task<DeliveryResult> PostAsync(
        string what,
        OutgoingMessage message,
        Uri url,
        byte[] body,
        Action<HttpRequestHeaders> addHeaders,
        CancellationToken cancellationToken)
    {
        // The host only: a query string may carry a partner's token.
        var endpoint = $"The {what} at {url.Host}";
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("Idempotency-Key", message.MessageId.ToString("D"));
        addHeaders(request.Headers);

        DeliveryResult result;
        try
        {
            var client = httpClientFactory.CreateClient(clientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            result = Classify(response.StatusCode, response.ReasonPhrase, endpoint);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = DeliveryResult.Transient($"{endpoint} did not answer within {Timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException e) when (e.InnerException is EgressRefusedException refused)
        {
            result = DeliveryResult.Permanent($"{endpoint} cannot be used: {refused.Message}");
        }
        catch (HttpRequestException e)
        {
            result = DeliveryResult.Transient($"{endpoint} could not be reached ({e.HttpRequestError}).");
        }

        if (result.Outcome == DeliveryOutcome.Sent)
        {
            LogSent(logger, what, message.MessageId, message.TenantId);
        }
        else
        {
            LogNotSent(logger, what, message.MessageId, message.TenantId, result.Outcome, result.Error);
        }

        return result;
    }

    /// <summary>What an HTTP status says about the delivery.</summary>
    public static DeliveryResult Classify(HttpStatusCode status, string? reason, string endpoint)
    {
        var code = (int)status;
        var error = string.IsNullOrWhiteSpace(reason)
            ? string.Create(CultureInfo.InvariantCulture, $"{endpoint} answered {code}.")
            : string.Create(CultureInfo.InvariantCulture, $"{endpoint} answered {code} {reason}.");
        return code switch
        {
            >= 200 and < 300 => DeliveryResult.Sent(),
            408 or 429 or >= 500 => DeliveryResult.Transient(error),
            410 => DeliveryResult.Permanent(error, bounced: true),
            _ => DeliveryResult.Permanent(error),
        };
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Message {MessageId} of tenant {TenantId} posted to the {Endpoint}.")]
    private static partial void LogSent(ILogger logger, string endpoint, Guid messageId, string tenantId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} of tenant {TenantId} not delivered to the {Endpoint} ({Outcome}): {Error}")]
    private static partial void LogNotSent(ILogger logger, string endpoint, Guid messageId, string tenantId, DeliveryOutcome outcome, string? error);
}
