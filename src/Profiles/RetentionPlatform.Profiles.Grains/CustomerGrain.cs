namespace RetentionPlatform.Profiles;

/// <summary>
/// The live profile of one customer. Orleans runs one call at a time per grain, so applying events is
/// ordered and race-free; state is written once per apply call, which the Kafka consumer batches per customer.
/// </summary>
public sealed class CustomerGrain(
    [PersistentState("customer", CustomerGrain.StorageName)] IPersistentState<CustomerState> state) : Grain, ICustomerGrain
{
    /// <summary>Name of the grain storage provider that holds customer profiles.</summary>
    public const string StorageName = "profiles";

    /// <summary>How many recent event ids are remembered for deduplication.</summary>
    public const int DedupWindow = 512;

    private HashSet<string>? _recentIds;
    private bool _stateUncertain;

    public async Task<ApplyEventsResult> ApplyAsync(IReadOnlyList<CustomerEventData> events)
    {
        await ReloadIfUncertainAsync();
        var current = state.State;
        _recentIds ??= new HashSet<string>(current.RecentEventIds, StringComparer.Ordinal);

        int applied = 0, duplicates = 0;
        foreach (var e in events)
        {
            if (!_recentIds.Add(e.EventId))
            {
                duplicates++;
                continue;
            }

            Remember(current, e.EventId);
            current.EventCount++;
            if (current.FirstSeen is null || e.OccurredAt < current.FirstSeen)
            {
                current.FirstSeen = e.OccurredAt;
            }

            // A late event (older than what we have seen) counts, but does not become the "last" event.
            if (current.LastSeen is null || e.OccurredAt >= current.LastSeen)
            {
                current.LastSeen = e.OccurredAt;
                current.LastEventType = e.EventType;
            }

            applied++;
        }

        if (applied > 0)
        {
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                // The in-memory state is now ahead of storage: the next call reloads what was persisted,
                // so the consumer's retry applies these events again instead of seeing them as duplicates.
                _stateUncertain = true;
                throw;
            }
        }

        return new ApplyEventsResult(applied, duplicates);
    }

    public async Task<CustomerProfileView?> GetProfileAsync()
    {
        await ReloadIfUncertainAsync();
        var current = state.State;
        if (current.EventCount == 0 || current.FirstSeen is null || current.LastSeen is null)
        {
            return null;
        }

        var (_, customerId) = CustomerGrainKey.Parse(this.GetPrimaryKeyString());
        return new CustomerProfileView(customerId, current.EventCount, current.FirstSeen.Value, current.LastSeen.Value, current.LastEventType ?? "");
    }

    /// <summary>After a failed write, memory may hold what storage does not: read storage again first.</summary>
    private async Task ReloadIfUncertainAsync()
    {
        if (_stateUncertain)
        {
            await state.ReadStateAsync();
            _stateUncertain = false;
            _recentIds = null;
        }
    }

    private void Remember(CustomerState current, string eventId)
    {
        current.RecentEventIds.Add(eventId);
        if (current.RecentEventIds.Count > DedupWindow)
        {
            var evicted = current.RecentEventIds[0];
            current.RecentEventIds.RemoveAt(0);
            _recentIds!.Remove(evicted);
        }
    }
}
