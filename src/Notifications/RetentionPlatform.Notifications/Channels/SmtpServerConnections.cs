using MailKit.Net.Smtp;

namespace RetentionPlatform.Notifications.Channels;

/// <summary>The clients of one SMTP server: a cap on how many exist at once, and those idle between messages.</summary>
internal sealed class SmtpServerConnections(int maxConnections)
{
    private readonly Lock _lock = new();

    // Most recently returned last: sends take from the end, so the oldest idle clients age out at the front.
    private readonly List<(SmtpClient Client, DateTimeOffset ReturnedAt)> _idle = [];
    private bool _closed;

    /// <summary>One permit per client in use or being connected.</summary>
    public SemaphoreSlim Slots { get; } = new(maxConnections, maxConnections);

    /// <summary>The most recently used idle client that has not expired; expired ones are moved to <paramref name="expired"/>.</summary>
    public (SmtpClient Client, TimeSpan IdleFor)? TakeIdle(DateTimeOffset now, TimeSpan idleTimeout, List<SmtpClient> expired)
    {
        lock (_lock)
        {
            RemoveExpired(now - idleTimeout, expired);
            if (_idle.Count == 0)
            {
                return null;
            }

            var (client, returnedAt) = _idle[^1];
            _idle.RemoveAt(_idle.Count - 1);
            return (client, now - returnedAt);
        }
    }

    /// <summary>Keeps a client for the next message; false when the pool is closed (the caller disposes it).</summary>
    public bool TryKeep(SmtpClient client, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            _idle.Add((client, now));
            return true;
        }
    }

    /// <summary>Moves the clients idle since before <paramref name="cutoff"/> to <paramref name="expired"/>.</summary>
    public void Expire(DateTimeOffset cutoff, List<SmtpClient> expired)
    {
        lock (_lock)
        {
            RemoveExpired(cutoff, expired);
        }
    }

    /// <summary>Refuses further clients and hands back the idle ones.</summary>
    public List<SmtpClient> Close()
    {
        lock (_lock)
        {
            _closed = true;
            var clients = _idle.Select(entry => entry.Client).ToList();
            _idle.Clear();
            return clients;
        }
    }

    private void RemoveExpired(DateTimeOffset cutoff, List<SmtpClient> expired)
    {
        var count = 0;
        while (count < _idle.Count && _idle[count].ReturnedAt < cutoff)
        {
            expired.Add(_idle[count].Client);
            count++;
        }

        _idle.RemoveRange(0, count);
    }
}
