using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.Text;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Channels;

/// <summary>
/// Sends email through the tenant's SMTP server (MailKit), on connections pooled per server and login. Every email
/// carries a Message-ID derived from the platform's message id (so a receiver can drop a repeat), RFC 8058 one-click
/// unsubscribe headers, and <c>X-Retention-Message-Id</c> / <c>X-Retention-Tenant</c>.
/// </summary>
public sealed partial class EmailChannel : IMessageChannel, IAsyncDisposable
{
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);

    private readonly SmtpConnectionPool _pool;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<EmailChannel> _logger;

    public EmailChannel(TimeProvider timeProvider, ILogger<EmailChannel> logger, EgressGuard guard)
    {
        _timeProvider = timeProvider;
        _logger = logger;
        _pool = new SmtpConnectionPool(timeProvider, logger, guard);
    }

    public NotificationChannel Channel => NotificationChannel.Email;

    public async Task<DeliveryResult> SendAsync(OutgoingMessage message, ChannelSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Email is not { } email)
        {
            return Report(message, DeliveryResult.Permanent("Email is not configured for this tenant."));
        }

        if (!TryBuild(message, email, out var mime, out var invalid))
        {
            return Report(message, invalid);
        }

        using var timeout = new CancellationTokenSource(SendTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var server = string.Create(CultureInfo.InvariantCulture, $"{email.Host}:{email.Port}");
        DeliveryResult result;
        try
        {
            var reply = await _pool.SendAsync(email, mime, linked.Token).ConfigureAwait(false);
            result = DeliveryResult.Sent(string.IsNullOrWhiteSpace(reply) ? mime.MessageId : reply.Trim());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = DeliveryResult.Transient($"The SMTP server {server} did not take the message within {SendTimeout.TotalSeconds:0} s.");
        }
        catch (AuthenticationException)
        {
            result = DeliveryResult.Permanent($"SMTP login refused by {server}.");
        }
        catch (ServiceNotAuthenticatedException)
        {
            result = DeliveryResult.Permanent($"The SMTP server {server} requires a login and none is configured.");
        }
        catch (NotSupportedException e)
        {
            // MailKit's words name the missing capability (STARTTLS, AUTH); they carry no credentials.
            result = DeliveryResult.Permanent($"The SMTP server {server} cannot be used as configured: {e.Message}");
        }
        catch (SmtpCommandException e)
        {
            result = Classify(e, server);
        }
        catch (SslHandshakeException)
        {
            result = DeliveryResult.Transient($"The TLS handshake with the SMTP server {server} failed.");
        }
        catch (EgressRefusedException e)
        {
            result = DeliveryResult.Permanent($"The SMTP server {server} cannot be used: {e.Message}");
        }
        catch (SocketException e)
        {
            result = DeliveryResult.Transient($"Could not connect to the SMTP server {server} ({e.SocketErrorCode}).");
        }
        catch (Exception e) when (SmtpConnectionPool.IsBrokenConnection(e))
        {
            result = DeliveryResult.Transient($"The connection to the SMTP server {server} failed ({e.GetType().Name}: {e.Message}).");
        }

        return Report(message, result);
    }

    public ValueTask DisposeAsync() => _pool.DisposeAsync();

    private static DeliveryResult Classify(SmtpCommandException exception, string server)
    {
        var code = (int)exception.StatusCode;
        var error = string.Create(CultureInfo.InvariantCulture, $"The SMTP server {server} answered {code}: {exception.Message}");
        if (code < 500)
        {
            return DeliveryResult.Transient(error);
        }

        return DeliveryResult.Permanent(error, bounced: exception.ErrorCode == SmtpErrorCode.RecipientNotAccepted);
    }

    private bool TryBuild(
        OutgoingMessage message,
        EmailSettings email,
        [NotNullWhen(true)] out MimeMessage? mime,
        [NotNullWhen(false)] out DeliveryResult? invalid)
    {
        mime = null;
        if (!TryParseAddress(email.FromAddress, out var from))
        {
            invalid = DeliveryResult.Permanent("The configured sender address is not a valid email address.");
            return false;
        }

        MailboxAddress? replyTo = null;
        if (email.ReplyTo is not null && !TryParseAddress(email.ReplyTo, out replyTo))
        {
            invalid = DeliveryResult.Permanent("The configured reply-to address is not a valid email address.");
            return false;
        }

        if (!TryParseAddress(message.Address, out var to))
        {
            invalid = DeliveryResult.Permanent("The recipient is not a valid email address.", bounced: true);
            return false;
        }

        mime = new MimeMessage
        {
            Subject = message.Subject,
            Date = _timeProvider.GetUtcNow(),
            MessageId = $"{message.MessageId:N}@{from.Domain}",
            Body = BuildBody(message),
        };
        mime.From.Add(new MailboxAddress(email.FromName, from.Address));
        mime.To.Add(new MailboxAddress(message.RecipientName, to.Address));
        if (replyTo is not null)
        {
            mime.ReplyTo.Add(new MailboxAddress(null, replyTo.Address));
        }

        mime.Headers.Add("List-Unsubscribe", $"<{message.UnsubscribeUrl.AbsoluteUri}>");
        mime.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        mime.Headers.Add("X-Retention-Message-Id", message.MessageId.ToString("D"));
        mime.Headers.Add("X-Retention-Tenant", message.TenantId);
        invalid = null;
        return true;
    }

    private static MimeEntity BuildBody(OutgoingMessage message)
    {
        var text = new TextPart(TextFormat.Plain);
        text.SetText(Encoding.UTF8, message.Text);
        if (message.Html is null)
        {
            return text;
        }

        var html = new TextPart(TextFormat.Html);
        html.SetText(Encoding.UTF8, message.Html);
        return new MultipartAlternative { text, html };
    }

    private static bool TryParseAddress(string value, [NotNullWhen(true)] out MailboxAddress? mailbox) =>
        MailboxAddress.TryParse(value.Trim(), out mailbox) && !string.IsNullOrEmpty(mailbox.Domain);

    private DeliveryResult Report(OutgoingMessage message, DeliveryResult result)
    {
        if (result.Outcome == DeliveryOutcome.Sent)
        {
            LogSent(_logger, message.MessageId, message.TenantId, result.ProviderMessageId);
        }
        else
        {
            LogNotSent(_logger, message.MessageId, message.TenantId, result.Outcome, result.Error);
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Email {MessageId} of tenant {TenantId} sent ({ProviderMessageId}).")]
    private static partial void LogSent(ILogger logger, Guid messageId, string tenantId, string? providerMessageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {MessageId} of tenant {TenantId} not sent ({Outcome}): {Error}")]
    private static partial void LogNotSent(ILogger logger, Guid messageId, string tenantId, DeliveryOutcome outcome, string? error);
}
