namespace RetentionPlatform.Profiles;

/// <summary>
/// 64-bit FNV-1a of an event id: the dedup window keeps 8 bytes per id instead of the id itself, and the
/// hash is the same in every process (unlike string.GetHashCode). Two ids colliding within one customer's
/// window of 128 has a probability near 10^-15.
/// </summary>
public static class EventIdHash
{
    public static ulong Of(string eventId)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in eventId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
