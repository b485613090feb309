using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using RetentionPlatform.Notifications.Channels;
using RetentionPlatform.Notifications.Model;
using RetentionPlatform.Notifications.Tests.Smtp;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Notifications.Tests.Channels;

public sealed class EmailChannelTests
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AnEmailArrivesWithBothPartsTheSenderTheRecipientAndTheUnsubscribeHeaders()
    {
        await using var server = await SmtpTestServer.StartNewAsync();
        await using var channel = CreateChannel();
        var message = ChannelTestData.Message();

        var result = await channel.SendAsync(message, ChannelTestData.Settings(ChannelTestData.Smtp(server.Port)), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        var received = Assert.Single(await server.WaitForMessagesAsync(1, Arrival));
        Assert.Contains(Assert.Single(server.ReadQueueIds()), result.ProviderMessageId, StringComparison.Ordinal);

        var from = Assert.IsType<MailboxAddress>(Assert.Single(received.From));
        Assert.Equal(("Salon Sonne", ChannelTestData.SenderAddress), (from.Name, from.Address));
        var to = Assert.IsType<MailboxAddress>(Assert.Single(received.To));
        Assert.Equal(("Anna Schmidt", "anna@kunde.example"), (to.Name, to.Address));
        Assert.Equal("team@salon-sonne.example", Assert.IsType<MailboxAddress>(Assert.Single(received.ReplyTo)).Address);
        Assert.Equal("Your appointment tomorrow", received.Subject);
        Assert.Equal("anna@kunde.example", received.Headers["X-Envelope-To"]);

        Assert.Equal($"{message.MessageId:N}@salon-sonne.example", received.MessageId);
        Assert.Equal($"<{message.UnsubscribeUrl.AbsoluteUri}>", received.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", received.Headers["List-Unsubscribe-Post"]);
        Assert.Equal(message.MessageId.ToString("D"), received.Headers["X-Retention-Message-Id"]);
        Assert.Equal("tenant-sonne", received.Headers["X-Retention-Tenant"]);

        var alternative = Assert.IsType<MultipartAlternative>(received.Body);
        Assert.Collection(
            alternative,
            part => Assert.Equal("text/plain", part.ContentType.MimeType),
            part => Assert.Equal("text/html", part.ContentType.MimeType));
        Assert.Equal("See you tomorrow.", received.TextBody?.Trim());
        Assert.Equal("<p>See you <b>tomorrow</b>.</p>", received.HtmlBody?.Trim());
    }

    [Fact]
    public async Task GermanUmlautsSurviveInTheSubjectAndBothParts()
    {
        await using var server = await SmtpTestServer.StartNewAsync();
        await using var channel = CreateChannel();
        var message = ChannelTestData.Message(
            subject: "Grüße aus Köln – Ihr Termin am Dienstag",
            html: "<p>Schöne Grüße, Jürgen &amp; das Team aus Düsseldorf</p>",
            text: "Schöne Grüße, Jürgen & das Team aus Düsseldorf. Straße: Äußere Gasse 5");

        var result = await channel.SendAsync(message, ChannelTestData.Settings(ChannelTestData.Smtp(server.Port)), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        var received = Assert.Single(await server.WaitForMessagesAsync(1, Arrival));
        Assert.Equal("Grüße aus Köln – Ihr Termin am Dienstag", received.Subject);
        Assert.Equal("Schöne Grüße, Jürgen & das Team aus Düsseldorf. Straße: Äußere Gasse 5", received.TextBody?.Trim());
        Assert.Equal("<p>Schöne Grüße, Jürgen &amp; das Team aus Düsseldorf</p>", received.HtmlBody?.Trim());
    }

    [Fact]
    public async Task AMessageWithoutHtmlIsSentAsPlainTextWithTheSameHeaders()
    {
        await using var server = await SmtpTestServer.StartNewAsync();
        await using var channel = CreateChannel();
        var message = ChannelTestData.Message(html: null);

        var result = await channel.SendAsync(message, ChannelTestData.Settings(ChannelTestData.Smtp(server.Port)), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        var received = Assert.Single(await server.WaitForMessagesAsync(1, Arrival));
        Assert.Equal("text/plain", Assert.IsType<TextPart>(received.Body).ContentType.MimeType);
        Assert.Null(received.HtmlBody);
        Assert.Equal("List-Unsubscribe=One-Click", received.Headers["List-Unsubscribe-Post"]);
        Assert.Equal($"<{message.UnsubscribeUrl.AbsoluteUri}>", received.Headers["List-Unsubscribe"]);
    }

    [Fact]
    public async Task TwoHundredConcurrentSendsShareAtMostFourPooledConnections()
    {
        await using var server = await SmtpTestServer.StartNewAsync();
        await using var channel = CreateChannel();
        var settings = ChannelTestData.Settings(ChannelTestData.Smtp(server.Port));

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            channel.SendAsync(ChannelTestData.Message(address: $"kunde{i}@kunde.example"), settings, CancellationToken.None)));

        Assert.All(results, result => Assert.Equal(DeliveryOutcome.Sent, result.Outcome));
        Assert.Equal(200, (await server.WaitForMessagesAsync(200, Arrival)).Count);
        Assert.InRange(server.ConnectionCount, 1, 4);
    }

    [Fact]
    public async Task SequentialSendsReuseOneConnection()
    {
        await using var server = await SmtpTestServer.StartNewAsync();
        await using var channel = CreateChannel();
        var settings = ChannelTestData.Settings(ChannelTestData.Smtp(server.Port));

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(DeliveryOutcome.Sent, (await channel.SendAsync(ChannelTestData.Message(), settings, CancellationToken.None)).Outcome);
        }

        Assert.Equal(20, (await server.WaitForMessagesAsync(20, Arrival)).Count);
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task AStoppedServerIsATransientFailureAndTheSameChannelSendsAgainOnceItIsBack()
    {
        await using var server = await SmtpTestServer.StartNewAsync();
        await using var channel = CreateChannel();
        var settings = ChannelTestData.Settings(ChannelTestData.Smtp(server.Port));
        Assert.Equal(DeliveryOutcome.Sent, (await channel.SendAsync(ChannelTestData.Message(), settings, CancellationToken.None)).Outcome);

        await server.StopAsync();
        var duringOutage = await channel.SendAsync(ChannelTestData.Message(), settings, CancellationToken.None);
        var stillDown = await channel.SendAsync(ChannelTestData.Message(), settings, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Transient, duringOutage.Outcome);
        Assert.Equal(DeliveryOutcome.Transient, stillDown.Outcome);
        Assert.False(duringOutage.Bounced);
        Assert.Contains($"127.0.0.1:{server.Port}", stillDown.Error, StringComparison.Ordinal);

        await server.StartAsync();
        var afterOutage = ChannelTestData.Message(subject: "After the outage");
        Assert.Equal(DeliveryOutcome.Sent, (await channel.SendAsync(afterOutage, settings, CancellationToken.None)).Outcome);
        var received = await server.WaitForMessagesAsync(2, Arrival);
        Assert.Equal("After the outage", received[^1].Subject);
    }

    [Fact]
    public async Task APooledConnectionToARestartedServerIsReplacedWithoutAFailedSend()
    {
        await using var server = await SmtpTestServer.StartNewAsync();
        await using var channel = CreateChannel();
        var settings = ChannelTestData.Settings(ChannelTestData.Smtp(server.Port));
        Assert.Equal(DeliveryOutcome.Sent, (await channel.SendAsync(ChannelTestData.Message(), settings, CancellationToken.None)).Outcome);

        await server.StopAsync();
        await server.StartAsync();
        var result = await channel.SendAsync(ChannelTestData.Message(), settings, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.Equal(2, (await server.WaitForMessagesAsync(2, Arrival)).Count);
        Assert.Equal(2, server.ConnectionCount);
    }

    [Fact]
    public async Task AServerThatNeverAnswersIsATransientFailureAfterThirtySeconds()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        await using var channel = CreateChannel(time);
        var settings = ChannelTestData.Settings(ChannelTestData.Smtp(((IPEndPoint)silent.LocalEndpoint).Port));

        var sending = channel.SendAsync(ChannelTestData.Message(), settings, CancellationToken.None);
        using var accepted = await silent.AcceptSocketAsync();
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(sending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));
        var result = await sending.WaitAsync(Arrival);

        Assert.Equal(DeliveryOutcome.Transient, result.Outcome);
        Assert.Contains("30 s", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARecipientRefusedWith550IsAPermanentBounceAndTheConnectionStaysUsable()
    {
        await using var server = await SmtpTestServer.StartNewAsync(simulateFailures: true);
        await using var channel = CreateChannel();
        var settings = ChannelTestData.Settings(ChannelTestData.Smtp(server.Port));

        var bounced = await channel.SendAsync(ChannelTestData.Message(address: "bounce-me@kunde.example"), settings, CancellationToken.None);
        var next = await channel.SendAsync(ChannelTestData.Message(), settings, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Permanent, bounced.Outcome);
        Assert.True(bounced.Bounced);
        Assert.Contains("550", bounced.Error, StringComparison.Ordinal);
        Assert.Equal(DeliveryOutcome.Sent, next.Outcome);
        Assert.Single(await server.WaitForMessagesAsync(1, Arrival));
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task AMessageRefusedWith451IsATransientFailure()
    {
        await using var server = await SmtpTestServer.StartNewAsync(simulateFailures: true);
        await using var channel = CreateChannel();

        var result = await channel.SendAsync(
            ChannelTestData.Message(address: "tempfail@kunde.example"),
            ChannelTestData.Settings(ChannelTestData.Smtp(server.Port)),
            CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Transient, result.Outcome);
        Assert.False(result.Bounced);
        Assert.Contains("451", result.Error, StringComparison.Ordinal);
        Assert.Empty(server.ReadMessages());
    }

    [Fact]
    public async Task ATenantWithoutEmailSettingsGetsAPermanentFailure()
    {
        await using var channel = CreateChannel();

        var result = await channel.SendAsync(ChannelTestData.Message(), ChannelTestData.Settings(), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Permanent, result.Outcome);
        Assert.False(result.Bounced);
        Assert.Contains("not configured", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("anna@")]
    [InlineData("anna")]
    public async Task AnInvalidRecipientAddressIsAPermanentBounceWithoutContactingTheServer(string address)
    {
        await using var server = await SmtpTestServer.StartNewAsync();
        await using var channel = CreateChannel();

        var result = await channel.SendAsync(
            ChannelTestData.Message(address: address),
            ChannelTestData.Settings(ChannelTestData.Smtp(server.Port)),
            CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Permanent, result.Outcome);
        Assert.True(result.Bounced);
        Assert.Equal(0, server.ConnectionCount);
    }

    [Fact]
    public async Task ARefusedLoginIsPermanentAndTheErrorDoesNotRevealThePassword()
    {
        await using var server = await SmtpTestServer.StartNewAsync(userName: "salon", password: "richtig-geheim");
        await using var channel = CreateChannel();

        var refused = await channel.SendAsync(
            ChannelTestData.Message(),
            ChannelTestData.Settings(ChannelTestData.Smtp(server.Port, "salon", "falsch-geheim")),
            CancellationToken.None);
        var accepted = await channel.SendAsync(
            ChannelTestData.Message(),
            ChannelTestData.Settings(ChannelTestData.Smtp(server.Port, "salon", "richtig-geheim")),
            CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Permanent, refused.Outcome);
        Assert.False(refused.Bounced);
        Assert.Contains("SMTP login refused", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("geheim", refused.Error, StringComparison.Ordinal);
        Assert.Equal(DeliveryOutcome.Sent, accepted.Outcome);
        Assert.Single(await server.WaitForMessagesAsync(1, Arrival));
    }

    [Fact]
    public async Task AConnectionIdleForAMinuteIsClosedAndTheNextSendOpensANewOne()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));
        await using var server = await SmtpTestServer.StartNewAsync();
        await using var channel = CreateChannel(time);
        var settings = ChannelTestData.Settings(ChannelTestData.Smtp(server.Port));
        Assert.Equal(DeliveryOutcome.Sent, (await channel.SendAsync(ChannelTestData.Message(), settings, CancellationToken.None)).Outcome);

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(DeliveryOutcome.Sent, (await channel.SendAsync(ChannelTestData.Message(), settings, CancellationToken.None)).Outcome);
        Assert.Equal(1, server.ConnectionCount);

        time.Advance(TimeSpan.FromSeconds(75));
        await Eventually.GetAsync(() => Task.FromResult(server.ClosedConnectionCount), closed => closed == 1, "the idle connection to close", Arrival);
        Assert.Equal(DeliveryOutcome.Sent, (await channel.SendAsync(ChannelTestData.Message(), settings, CancellationToken.None)).Outcome);

        Assert.Equal(2, server.ConnectionCount);
        Assert.Equal(3, (await server.WaitForMessagesAsync(3, Arrival)).Count);
    }

    [Fact]
    public async Task DisposingTheChannelClosesItsConnections()
    {
        await using var server = await SmtpTestServer.StartNewAsync();
        var channel = CreateChannel();
        var settings = ChannelTestData.Settings(ChannelTestData.Smtp(server.Port));
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => channel.SendAsync(ChannelTestData.Message(), settings, CancellationToken.None)));
        var opened = server.ConnectionCount;

        await channel.DisposeAsync();

        await Eventually.GetAsync(() => Task.FromResult(server.ClosedConnectionCount), closed => closed == opened, "every pooled connection to close", Arrival);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => channel.SendAsync(ChannelTestData.Message(), settings, CancellationToken.None));
    }

    [Fact]
    public async Task TheSenderDomainOfTheMessageIdComesFromTheConfiguredSender()
    {
        await using var server = await SmtpTestServer.StartNewAsync();
        await using var channel = CreateChannel();
        var message = ChannelTestData.Message();
        var email = ChannelTestData.Smtp(server.Port) with { FromAddress = "news@mail.friseur.example", FromName = null, ReplyTo = null };

        await channel.SendAsync(message, ChannelTestData.Settings(email), CancellationToken.None);
        await channel.SendAsync(message, ChannelTestData.Settings(email), CancellationToken.None);

        var received = await server.WaitForMessagesAsync(2, Arrival);
        Assert.All(received, mail => Assert.Equal($"{message.MessageId:N}@mail.friseur.example", mail.MessageId));
        Assert.Empty(received[0].ReplyTo);
        Assert.Equal("", Assert.IsType<MailboxAddress>(Assert.Single(received[0].From)).Name);
    }

    private static EmailChannel CreateChannel(TimeProvider? time = null) =>
        new(time ?? TimeProvider.System, NullLogger<EmailChannel>.Instance, new EgressGuard(allowPrivateNetworks: true));
}
