namespace RetentionPlatform.Scheduling.Benchmarks;

/// <summary>Free slots handed out once each, in order, to whichever racing group needs its next one.</summary>
internal sealed class SlotPool(IReadOnlyList<PlannedBooking> slots)
{
    private int _next = -1;

    public int Count => slots.Count;

    /// <summary>How many slots were handed out.</summary>
    public int Taken => Math.Min(Volatile.Read(ref _next) + 1, slots.Count);

    public PlannedBooking? Take()
    {
        var i = Interlocked.Increment(ref _next);
        return i < slots.Count ? slots[i] : null;
    }
}
