using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace RetentionPlatform.Gateway.Tests;

/// <summary>
/// Request bodies the gateway does not take, sent the way careless or hostile clients send them: chunked, with
/// <c>Expect: 100-continue</c> or all at once without waiting, each request on a connection of its own, many at a time.
/// Whatever the client does, it reads a complete ProblemDetails and its connection ends in an orderly close, never in a
/// reset under an upload the server stopped reading.
/// </summary>
public sealed class RequestBodyTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const int Concurrency = 50;
    private const string ProblemJson = "application/problem+json";

    /// <summary>Just past the 64 KiB the server reads of a body by default, as the fuzz test's request #1330 (seed 20261123) sent it.</summary>
    private const int BodyBytes = 66_677;

    /// <summary>A body whose upload goes on well after the first 64 KiB: a server that stops reading there closes under it.</summary>
    private const int LongBodyBytes = 200_000;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private Uri Gateway => fixture.Client.BaseAddress!;

    [Theory]
    [InlineData("GET", "/v1/segments")]
    [InlineData("GET", "/v1/customers/c-1")]
    [InlineData("HEAD", "/v1/segments")]
    public async Task AGetOrHeadCarryingAChunkedBodyWithExpectContinueGets400AndNeverAReset(string method, string path)
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => SendOnItsOwnConnectionAsync(new HttpMethod(method), path, BodyBytes)));

        Assert.Empty(outcomes.Where(o => o.Failure is not null).Select(o => o.Failure));
        foreach (var outcome in outcomes)
        {
            Assert.Equal(HttpStatusCode.BadRequest, outcome.Status);
            Assert.Equal(ProblemJson, outcome.MediaType);
            Assert.True(outcome.ConnectionClose, "a refused body's connection says it closes");
            if (method != "HEAD")
            {
                Assert.Equal(400, ProblemStatus(outcome.Body));
            }
        }
    }

    [Theory]
    [InlineData("/v1/segments", BodyBytes)]
    [InlineData("/v1/customers/c-1", BodyBytes)]
    [InlineData("/v1/customers/c-1", LongBodyBytes)]
    public async Task AGetWithABodyIsRefusedBeforeTheClientIsAskedToSendIt(string path, int bytes)
    {
        var exchanges = await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => RawExchangeAsync("GET", path, Upload.AfterContinue, bytes)));

        Assert.Empty(exchanges.Where(e => e.Failure is not null).Select(e => $"{e.Failure}; received: {e.Response}"));
        foreach (var exchange in exchanges)
        {
            Assert.StartsWith("HTTP/1.1 400 ", exchange.Response, StringComparison.Ordinal);
            Assert.False(exchange.Uploaded, "the server asked for the body (100 Continue) of a request it refuses");
            Assert.Contains("\r\nConnection: close\r\n", exchange.Response, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(400, ProblemStatus(exchange.Body));
        }
    }

    [Theory]
    [InlineData("/v1/segments", BodyBytes)]
    [InlineData("/v1/customers/c-1", BodyBytes)]
    [InlineData("/v1/customers/c-1", LongBodyBytes)]
    public async Task AClientThatSendsAGetsBodyWithoutWaitingReadsTheWholeRefusalAndAnOrderlyClose(string path, int bytes)
    {
        var exchanges = await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => RawExchangeAsync("GET", path, Upload.AtOnce, bytes)));

        Assert.Empty(exchanges.Where(e => e.Failure is not null).Select(e => $"{e.Failure}; received: {e.Response}"));
        foreach (var exchange in exchanges)
        {
            Assert.StartsWith("HTTP/1.1 400 ", exchange.Response, StringComparison.Ordinal);
            Assert.Equal(400, ProblemStatus(exchange.Body));
        }
    }

    [Theory]
    [InlineData(Upload.AfterContinue, BodyBytes)]
    [InlineData(Upload.AfterContinue, LongBodyBytes)]
    [InlineData(Upload.AtOnce, BodyBytes)]
    [InlineData(Upload.AtOnce, LongBodyBytes)]
    public async Task AChunkedBodyOverAWriteRoutesLimitGets413AndWhatTheClientStillSendsIsReadNotReset(Upload upload, int bytes)
    {
        var exchanges = await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => RawExchangeAsync("PATCH", "/v1/customers/c-1/traits", upload, bytes)));

        Assert.Empty(exchanges.Where(e => e.Failure is not null).Select(e => $"{e.Failure}; received: {e.Response}"));
        foreach (var exchange in exchanges)
        {
            Assert.Contains("HTTP/1.1 413 ", exchange.Response, StringComparison.Ordinal);
            Assert.Contains("\r\nConnection: close\r\n", exchange.Response, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(413, ProblemStatus(exchange.Body));
        }
    }

    [Fact]
    public async Task AChunkedBodyOverAWriteRoutesLimitWithExpectContinueGets413AndNeverAReset()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => SendOnItsOwnConnectionAsync(HttpMethod.Patch, "/v1/customers/c-1/traits", BodyBytes)));

        Assert.Empty(outcomes.Where(o => o.Failure is not null).Select(o => o.Failure));
        foreach (var outcome in outcomes)
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, outcome.Status);
            Assert.Equal(ProblemJson, outcome.MediaType);
            Assert.Equal(413, ProblemStatus(outcome.Body));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ADeleteWithABodyWithinTheRoutesLimitIsForwardedAndItsConnectionKeptAlive(bool chunked)
    {
        using var http = NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(Gateway, "/v1/customers/c-1")) { Content = Body(2048, chunked) };
        request.Headers.TransferEncodingChunked = chunked;
        request.Headers.ExpectContinue = true;
        request.Headers.Add("X-Api-Key", GatewayFixture.TenantAKey);

        using var response = await http.SendAsync(request);

        // The echo backend reads the whole body before it answers: nothing is left unread, so nothing closes.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"protocol\":\"HTTP/2\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEqual(true, response.Headers.ConnectionClose);
    }

    private static int? ProblemStatus(string body) =>
        JsonNode.Parse(body) is JsonObject problem && problem["status"] is JsonValue status && status.TryGetValue<int>(out var value) ? value : null;

    private static HttpContent Body(int bytes, bool chunked)
    {
        var json = Encoding.UTF8.GetBytes($"{{\"x\":\"{new string('x', bytes - 8)}\"}}");
        HttpContent content = chunked ? new StreamContent(new MemoryStream(json)) : new ByteArrayContent(json);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>The fuzz test's client: a connection of its own, waiting up to 2 s for 100 Continue before it sends the body anyway.</summary>
    private static HttpClient NewClient() =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 1, Expect100ContinueTimeout = TimeSpan.FromSeconds(2), AllowAutoRedirect = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    private async Task<Outcome> SendOnItsOwnConnectionAsync(HttpMethod method, string path, int bytes)
    {
        using var http = NewClient();
        using var request = new HttpRequestMessage(method, new Uri(Gateway, path)) { Content = Body(bytes, chunked: true) };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.ExpectContinue = true;
        request.Headers.Add("X-Api-Key", GatewayFixture.TenantAKey);
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            return new Outcome(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, response.Headers.ConnectionClose == true, null);
        }
        catch (HttpRequestException ex)
        {
            return new Outcome(0, null, "", false, $"no response: {ex.HttpRequestError}: {ex.InnerException?.Message ?? ex.Message}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return new Outcome(0, null, "", false, $"no complete response within {Patience.TotalSeconds:0} s");
        }
    }

    /// <summary>
    /// One request on a raw socket: headers announcing a chunked body of <paramref name="bytes"/> with
    /// <c>Expect: 100-continue</c>, and the body sent as <paramref name="upload"/> says. A client whose body was never
    /// asked for closes once it has the answer (there is nothing more it could send on the connection); one that sent its
    /// body reads until the server closes. A reset, a response cut short or a connection left hanging is a failure.
    /// </summary>
    private async Task<RawExchange> RawExchangeAsync(string method, string path, Upload upload, int bytes)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(Patience);
        var received = new MemoryStream();
        Task? sending = null;
        try
        {
            await socket.ConnectAsync(Gateway.Host, Gateway.Port, timeout.Token);
            var head = $"{method} {path} HTTP/1.1\r\nHost: {Gateway.Authority}\r\nX-Api-Key: {GatewayFixture.TenantAKey}\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(head), SocketFlags.None, timeout.Token);
            if (upload == Upload.AtOnce)
            {
                sending = socket.SendAsync(ChunkedBody(bytes), SocketFlags.None, timeout.Token).AsTask();
            }

            var buffer = new byte[16 * 1024];
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) is var read and > 0)
            {
                received.Write(buffer, 0, read);
                if (sending is null && Encoding.ASCII.GetString(received.GetBuffer(), 0, (int)received.Length).StartsWith("HTTP/1.1 100 ", StringComparison.Ordinal))
                {
                    sending = SendPacedAsync(socket, ChunkedBody(bytes), timeout.Token);
                }

                if (sending is null && CompleteResponse(received) is not null)
                {
                    break;
                }
            }

            if (sending is not null)
            {
                await sending;
            }

            var response = Encoding.UTF8.GetString(received.ToArray());
            return CompleteResponse(received) is { } body
                ? new RawExchange(response, body, sending is not null, null)
                : new RawExchange(response, "", sending is not null, "the connection closed before the whole response arrived");
        }
        catch (SocketException ex)
        {
            return new RawExchange(Encoding.UTF8.GetString(received.ToArray()), "", sending is not null, $"socket error {ex.SocketErrorCode}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return new RawExchange(Encoding.UTF8.GetString(received.ToArray()), "", sending is not null, $"the connection was still open after {Patience.TotalSeconds:0} s");
        }
    }

    /// <summary>The body as a client on a slower network uploads it: a piece at a time.</summary>
    private static async Task SendPacedAsync(Socket socket, byte[] body, CancellationToken cancellationToken)
    {
        const int Piece = 16 * 1024;
        for (var offset = 0; offset < body.Length; offset += Piece)
        {
            await socket.SendAsync(body.AsMemory(offset, Math.Min(Piece, body.Length - offset)), SocketFlags.None, cancellationToken);
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
        }
    }

    /// <summary>The final response's body when all of it has arrived (after any interim 1xx response); null before.</summary>
    private static string? CompleteResponse(MemoryStream received)
    {
        var text = Encoding.UTF8.GetString(received.GetBuffer(), 0, (int)received.Length);
        var start = 0;
        while (true)
        {
            var end = text.IndexOf("\r\n\r\n", start, StringComparison.Ordinal);
            if (end < 0)
            {
                return null;
            }

            var head = text[start..end];
            if (head.StartsWith("HTTP/1.1 1", StringComparison.Ordinal))
            {
                start = end + 4;
                continue;
            }

            var headers = head.Split("\r\n").Skip(1).Select(line => line.Split(':', 2)).ToDictionary(h => h[0].Trim(), h => h[1].Trim(), StringComparer.OrdinalIgnoreCase);
            var rest = text[(end + 4)..];
            if (headers.TryGetValue("Content-Length", out var length))
            {
                var size = int.Parse(length, CultureInfo.InvariantCulture);
                return rest.Length >= size ? rest[..size] : null;
            }

            return headers.TryGetValue("Transfer-Encoding", out var coding) && coding.Equals("chunked", StringComparison.OrdinalIgnoreCase) ? Dechunk(rest) : rest;
        }
    }

    /// <summary>A chunked response body once its last chunk has arrived; null before.</summary>
    private static string? Dechunk(string chunked)
    {
        var body = new StringBuilder();
        var position = 0;
        while (chunked.IndexOf("\r\n", position, StringComparison.Ordinal) is var lineEnd and >= 0)
        {
            var size = int.Parse(chunked.AsSpan(position, lineEnd - position), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                return chunked.Length >= lineEnd + 4 ? body.ToString() : null;
            }

            if (chunked.Length < lineEnd + 2 + size + 2)
            {
                return null;
            }

            body.Append(chunked, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }

        return null;
    }

    private static byte[] ChunkedBody(int bytes)
    {
        var body = new MemoryStream();
        var json = Encoding.ASCII.GetBytes($"{{\"x\":\"{new string('x', bytes - 8)}\"}}");
        for (var offset = 0; offset < json.Length; offset += 8192)
        {
            var size = Math.Min(8192, json.Length - offset);
            body.Write(Encoding.ASCII.GetBytes($"{size:X}\r\n"));
            body.Write(json, offset, size);
            body.Write("\r\n"u8);
        }

        body.Write("0\r\n\r\n"u8);
        return body.ToArray();
    }

    private sealed record Outcome(HttpStatusCode Status, string? MediaType, string Body, bool ConnectionClose, string? Failure);

    private sealed record RawExchange(string Response, string Body, bool Uploaded, string? Failure);

    /// <summary>How a raw client sends the body it announced.</summary>
    public enum Upload
    {
        /// <summary>Only when the server asks for it with 100 Continue, as curl and HttpClient do.</summary>
        AfterContinue,

        /// <summary>Right after the headers, without waiting to be asked.</summary>
        AtOnce,
    }
}
