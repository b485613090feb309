using System.Collections.Concurrent;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Channels;

/// <summary>
/// Connected, authenticated SMTP clients kept per distinct server settings (<see cref="SmtpServerKey"/>) and reused
/// across messages: at most <see cref="MaxConnectionsPerServer"/> per server, each sending one message at a time
/// (MailKit's client is not thread-safe), closed after <see cref="IdleTimeout"/> unused.
/// </summary>
internal sealed partial class SmtpConnectionPool : IAsyncDisposable
{
    public const int MaxConnectionsPerServer = 4;

    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(15);

    // Servers drop idle sessions (often with a 421 first); past this a NOOP proves the session before a message rides on it.
    private static readonly TimeSpan CheckAfterIdle = TimeSpan.FromSeconds(5);

    // MailKit's own limit on each read and write (its default is two minutes).
    private static readonly TimeSpan IoTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan QuitTimeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<SmtpServerKey, SmtpServerConnections> _servers = new();
    private readonly EgressGuard _guard;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ITimer _sweepTimer;
    private int _disposed;

    public SmtpConnectionPool(TimeProvider timeProvider, ILogger logger, EgressGuard guard)
    {
        _guard = guard;
        _timeProvider = timeProvider;
        _logger = logger;
        _sweepTimer = timeProvider.CreateTimer(static state => ((SmtpConnectionPool)state!).CloseIdle(), this, SweepInterval, SweepInterval);
    }

    /// <summary>
    /// Sends <paramref name="message"/> on a pooled client (or a new one) and returns the server's reply to DATA.
    /// Connection and protocol failures propagate for the caller to classify.
    /// </summary>
    public async Task<string> SendAsync(EmailSettings settings, MimeMessage message, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var server = _servers.GetOrAdd(SmtpServerKey.From(settings), static _ => new SmtpServerConnections(MaxConnectionsPerServer));
        await server.Slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pooled = await TakeLiveClientAsync(server, cancellationToken).ConfigureAwait(false);
            if (pooled is not null)
            {
                try
                {
                    return await SendOnAsync(server, pooled, message, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (IsBrokenConnection(e) && !cancellationToken.IsCancellationRequested)
                {
                    // The session died between the check and the message (the server restarted). Sending again on a
                    // new connection is safe: should the first copy have arrived after all, its Message-ID is the same.
                    LogStaleConnection(_logger, settings.Host, settings.Port, e);
                }
            }

            var client = await ConnectAsync(settings, cancellationToken).ConfigureAwait(false);
            return await SendOnAsync(server, client, message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            server.Slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _sweepTimer.DisposeAsync().ConfigureAwait(false);
        var clients = _servers.Values.SelectMany(server => server.Close()).ToList();
        await Task.WhenAll(clients.Select(QuitAsync)).ConfigureAwait(false);
    }

    /// <summary>Whether a failure says the session is gone, rather than that the server answered something.</summary>
    public static bool IsBrokenConnection(Exception exception) =>
        exception is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException;

    private static SecureSocketOptions ToSocketOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.None,
    };

    private async Task<string> SendOnAsync(SmtpServerConnections server, SmtpClient client, MimeMessage message, CancellationToken cancellationToken)
    {
        string response;
        try
        {
            response = await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (SmtpCommandException) when (client.IsConnected)
        {
            // A refused command leaves the session usable: MailKit resets the transaction.
            Keep(server, client);
            throw;
        }
        catch
        {
            client.Dispose();
            throw;
        }

        Keep(server, client);
        return response;
    }

    private async Task<SmtpClient?> TakeLiveClientAsync(SmtpServerConnections server, CancellationToken cancellationToken)
    {
        var expired = new List<SmtpClient>();
        var taken = server.TakeIdle(_timeProvider.GetUtcNow(), IdleTimeout, expired);
        QuitInBackground(expired);
        if (taken is not { } idle)
        {
            return null;
        }

        if (!idle.Client.IsConnected)
        {
            idle.Client.Dispose();
            return null;
        }

        if (idle.IdleFor < CheckAfterIdle)
        {
            return idle.Client;
        }

        try
        {
            await idle.Client.NoOpAsync(cancellationToken).ConfigureAwait(false);
            return idle.Client;
        }
        catch (Exception e) when ((IsBrokenConnection(e) || e is SmtpCommandException) && !cancellationToken.IsCancellationRequested)
        {
            idle.Client.Dispose();
            return null;
        }
        catch
        {
            idle.Client.Dispose();
            throw;
        }
    }

    private async Task<SmtpClient> ConnectAsync(EmailSettings settings, CancellationToken cancellationToken)
    {
        var client = new SmtpClient { Timeout = (int)IoTimeout.TotalMilliseconds };
        try
        {
            var socket = await _guard.ConnectAsync(settings.Host, settings.Port, cancellationToken).ConfigureAwait(false);
            await client.ConnectAsync(socket, settings.Host, settings.Port, ToSocketOptions(settings.Security), cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(settings.UserName))
            {
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellationToken).ConfigureAwait(false);
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private void Keep(SmtpServerConnections server, SmtpClient client)
    {
        if (Volatile.Read(ref _disposed) != 0 || !server.TryKeep(client, _timeProvider.GetUtcNow()))
        {
            QuitInBackground([client]);
        }
    }

    private void CloseIdle()
    {
        var expired = new List<SmtpClient>();
        var cutoff = _timeProvider.GetUtcNow() - IdleTimeout;
        foreach (var server in _servers.Values)
        {
            server.Expire(cutoff, expired);
        }

        if (expired.Count > 0)
        {
            LogClosingIdle(_logger, expired.Count);
            QuitInBackground(expired);
        }
    }

    private void QuitInBackground(List<SmtpClient> clients)
    {
        foreach (var client in clients)
        {
            _ = QuitAsync(client);
        }
    }

    private async Task QuitAsync(SmtpClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(QuitTimeout, _timeProvider);
                await client.DisconnectAsync(quit: true, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsBrokenConnection(e) || e is SmtpCommandException or OperationCanceledException)
        {
            // Closing anyway; the server's answer to QUIT changes nothing.
        }
        finally
        {
            client.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pooled SMTP connection to {Host}:{Port} was gone; sending on a new one.")]
    private static partial void LogStaleConnection(ILogger logger, string host, int port, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closing {Count} idle SMTP connection(s).")]
    private static partial void LogClosingIdle(ILogger logger, int count);
}
