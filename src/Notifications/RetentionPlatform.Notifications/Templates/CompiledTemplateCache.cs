using System.Collections.Concurrent;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Templates;

/// <summary>
/// Compiled templates by their sources, at most <c>capacity</c> of them; the least recently used are evicted.
/// Keyed by the source text itself, not by template id and date: ids are per tenant, so two tenants' "welcome"
/// templates must never share an entry, and an exact key cannot collide the way a hash can.
/// </summary>
internal sealed class CompiledTemplateCache(int capacity, Func<MessageTemplate, CompiledTemplate> compile)
{
    private readonly ConcurrentDictionary<Key, CompiledTemplate> _entries = new();
    private readonly Lock _evictionLock = new();
    private long _clock;
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public CompiledTemplate Get(MessageTemplate template)
    {
        var key = new Key(template.Subject ?? "", template.Html, template.Text ?? "");
        var tick = Interlocked.Increment(ref _clock);
        if (_entries.TryGetValue(key, out var found))
        {
            found.Touch(tick);
            return found;
        }

        var compiled = compile(template);
        compiled.Touch(tick);
        if (!_entries.TryAdd(key, compiled))
        {
            return _entries.TryGetValue(key, out var raced) ? raced : compiled;
        }

        if (Interlocked.Increment(ref _count) > capacity)
        {
            Evict();
        }

        return compiled;
    }

    private void Evict()
    {
        lock (_evictionLock)
        {
            var excess = Count - capacity;
            if (excess <= 0)
            {
                return;
            }

            // Evicting a tenth at once keeps the sort off the path of every single miss.
            var toRemove = Math.Max(excess, capacity / 10);
            foreach (var stale in _entries.OrderBy(e => e.Value.LastUsed).Take(toRemove).ToList())
            {
                if (_entries.TryRemove(stale.Key, out _))
                {
                    Interlocked.Decrement(ref _count);
                }
            }
        }
    }

    private readonly record struct Key(string Subject, string? Html, string Text);
}
