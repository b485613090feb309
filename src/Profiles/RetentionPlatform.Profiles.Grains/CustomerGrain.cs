using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using RetentionPlatform.Profiles.Contact;
using RetentionPlatform.Profiles.Model;
using RetentionPlatform.Profiles.Scoring;
using RetentionPlatform.Profiles.Segments;

namespace RetentionPlatform.Profiles;

/// <summary>
/// The live profile of one customer. Orleans runs one call at a time per grain, so applying events and deciding
/// contacts are ordered and race-free. State is written once per apply call (the Kafka consumer hands over all
/// of a customer's events in a batch together), profile changes ride along in the state as an outbox and are
/// delivered after the write, and time-driven changes ("no order for 60 days") wake the grain at their moment
/// with a timer while it is active, and through the wake-up time stored with its state otherwise.
/// </summary>
public sealed partial class CustomerGrain(
    [PersistentState("customer", CustomerGrain.StorageName)] IPersistentState<CustomerState> state,
    TenantConfigurationCache tenants,
    IProfileChangeSink changes,
    ICustomerAliasStore aliases,
    TimeProvider time,
    ILogger<CustomerGrain> logger) : Grain, ICustomerGrain
{
    /// <summary>Name of the grain storage provider that holds profiles and tenant settings.</summary>
    public const string StorageName = "profiles";

    /// <summary>How many recent event ids are remembered for deduplication.</summary>
    public const int DedupWindow = 128;

    /// <summary>
    /// Longest wait an active grain covers with its own timer. Farther wake-ups are left to the wake-up scanner,
    /// which refreshes the grain shortly before the moment (the grain then arms a timer for the exact instant):
    /// a timer held by every customer for a churn check weeks away cost memory and timer work for nothing.
    /// </summary>
    public static readonly TimeSpan MaxTimerWait = TimeSpan.FromHours(1);

    private static readonly JsonSerializerOptions ExportOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private string _tenantId = "";
    private string _customerId = "";
    private HashSet<ulong>? _recent;
    private bool _stateUncertain;
    private bool _unsavedChanges;
    private IGrainTimer? _wakeTimer;
    private DateTimeOffset? _wakeTimerAt;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenantId, _customerId) = CustomerGrainKey.Parse(this.GetPrimaryKeyString());
        if (state.State.Outbox.Count > 0)
        {
            await DeliverOutboxAsync();
        }

        if (state.State.Profile is not null && state.State.WakeAt is { } wakeAt)
        {
            if (wakeAt <= time.GetUtcNow())
            {
                // Woken after a deactivation or a crash: catch up on anything that came due meanwhile.
                await EvaluateAndSaveAsync();
            }
            else
            {
                ScheduleWake(wakeAt, time.GetUtcNow());
            }
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_unsavedChanges && !_stateUncertain)
        {
            try
            {
                await state.WriteStateAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogDecisionsNotSaved(logger, ex, _tenantId, _customerId);
            }
        }
    }

    public async Task<ApplyEventsResult> ApplyAsync(IReadOnlyList<CustomerEventData> events)
    {
        await ReloadIfUncertainAsync();
        if (state.State.MergedInto is { } canonical)
        {
            return await Canonical(canonical).ApplyAsync(events);
        }

        if (state.State.ErasedAt is not null)
        {
            return new ApplyEventsResult(0, 0, events.Count);
        }

        // Fetched before anything changes: failing here (the tenant's settings unreachable in a failover) leaves
        // the profile untouched for the consumer's retry.
        var configuration = await tenants.GetAsync(_tenantId);
        return await MutateAsync(() => ApplyCoreAsync(events, configuration));
    }

    /// <summary>
    /// Runs a change of the in-memory state. If anything fails before the state is saved, memory is ahead of
    /// storage (event ids remembered, counters moved): the next call reloads what was persisted, so a retry
    /// applies the events again instead of taking them for duplicates.
    /// </summary>
    private async Task<T> MutateAsync<T>(Func<Task<T>> change)
    {
        try
        {
            return await change();
        }
        catch
        {
            _stateUncertain = true;
            throw;
        }
    }

    private async Task<ApplyEventsResult> ApplyCoreAsync(IReadOnlyList<CustomerEventData> events, TenantConfiguration configuration)
    {
        var profile = state.State.Profile ??= new CustomerProfile { CustomerId = _customerId };
        _recent ??= [.. state.State.RecentEventHashes];
        int applied = 0, duplicates = 0;
        var effects = new List<(EventEffect Effect, CustomerEventData Event)>();
        foreach (var e in events)
        {
            var hash = EventIdHash.Of(e.EventId);
            if (!_recent.Add(hash))
            {
                duplicates++;
                continue;
            }

            Remember(hash);
            var effect = ProfileEventApplier.Apply(profile, e);
            applied++;
            if (effect == EventEffect.Erase)
            {
                await EraseAsync();
                return new ApplyEventsResult(applied, duplicates, events.Count - applied - duplicates);
            }

            if (effect != EventEffect.None)
            {
                effects.Add((effect, e));
            }
        }

        if (applied == 0)
        {
            return new ApplyEventsResult(0, duplicates);
        }

        ProfilesTelemetry.EventsApplied.Add(applied);
        foreach (var (effect, e) in effects)
        {
            OnEffect(effect, e);
        }

        Evaluate(configuration);
        await SaveAsync();
        await DeliverOutboxAsync();
        if (effects.Exists(x => x.Effect == EventEffect.AliasesChanged))
        {
            await ClaimAliasesAsync(profile);
        }

        return new ApplyEventsResult(applied, duplicates);
    }

    public async Task<CustomerProfile?> GetProfileAsync()
    {
        await ReloadIfUncertainAsync();
        return state.State.MergedInto is { } canonical
            ? await Canonical(canonical).GetProfileAsync()
            : state.State.ErasedAt is null ? state.State.Profile : null;
    }

    public async Task<CustomerProfile> UpdateAsync(CustomerEventData change)
    {
        await ReloadIfUncertainAsync();
        if (state.State.MergedInto is { } canonical)
        {
            return await Canonical(canonical).UpdateAsync(change);
        }

        ThrowIfErased();
        await ApplyAsync([change]);
        return state.State.Profile!;
    }

    public async Task<ContactDecision> DecideContactAsync(ContactRequest request)
    {
        await ReloadIfUncertainAsync();
        if (state.State.MergedInto is { } canonical)
        {
            return await Canonical(canonical).DecideContactAsync(request);
        }

        var now = time.GetUtcNow();
        var profile = state.State.ErasedAt is null ? state.State.Profile : null;
        ContactDecision decision;
        if (profile is null)
        {
            var (reason, detail) = state.State.ErasedAt is null
                ? (ContactReasons.UnknownCustomer, "Nothing is known about this customer: no consent, no address.")
                : (ContactReasons.Erased, "The customer was erased.");
            decision = new ContactDecision(ContactOutcome.Deny, reason, detail, null, now, request.Channel, request.Purpose, request.Kind);
            Count(decision);
            return decision;
        }

        // Asking again for a message already cleared (a sender retrying after an outage) decides on the live context
        // again, so a customer who unsubscribed or asked for a person since is not written to; the message's own touch
        // is not counted against it, so the budget is not spent twice.
        var alreadyAllowed = request.MessageId is { } messageId && profile.ContactHistory.Exists(t => t.MessageId == messageId);
        var configuration = await tenants.GetAsync(_tenantId);
        decision = ContactDecider.Decide(profile, request, configuration.Policy, now);
        profile.RecentDecisions.Add(decision);
        if (profile.RecentDecisions.Count > ProfileLimits.RecentDecisions)
        {
            profile.RecentDecisions.RemoveAt(0);
        }

        Count(decision);
        LogDecision(logger, _tenantId, _customerId, decision.Outcome, decision.Reason, request.Channel, request.Purpose);
        if (decision.Outcome == ContactOutcome.Allow && !alreadyAllowed)
        {
            ProfileEventApplier.RecordTouch(profile, new ContactTouch(now, request.Channel, request.Purpose, request.Kind, request.MessageId));
        }

        // Answered from memory, with no write of its own: the decision is counted and logged now and kept in the
        // profile, which is saved with its next write (an event, an update) or when the grain deactivates. The
        // allowed touch is a reservation that keeps the budget right while the grain lives; the durable record of
        // the touch is the sender's message_sent event, which arrives through Kafka. (Writing every decision made
        // the state store the bottleneck: DecideContact at 2,000/s then queued for seconds on this machine.)
        _unsavedChanges = true;
        return decision;
    }

    public async Task<string> RequestHumanAsync(string reason)
    {
        await ReloadIfUncertainAsync();
        if (state.State.MergedInto is { } canonical)
        {
            return await Canonical(canonical).RequestHumanAsync(reason);
        }

        ThrowIfErased();
        if (state.State.Profile?.Support.HumanOwner is { } open)
        {
            return open.CaseId;
        }

        var caseId = $"human-{Guid.CreateVersion7(time.GetUtcNow()):N}";
        var properties = JsonSerializer.Serialize(new { caseId, reason });
        await ApplyAsync([new CustomerEventData(caseId, "human_requested", time.GetUtcNow(), properties)]);
        return caseId;
    }

    public async Task RefreshAsync()
    {
        await ReloadIfUncertainAsync();
        if (state.State.MergedInto is null && state.State.ErasedAt is null && state.State.Profile is not null)
        {
            await EvaluateAndSaveAsync();
        }
    }

    public async Task<CustomerProfile> MergeAsync(string sourceCustomerId)
    {
        await ReloadIfUncertainAsync();
        if (sourceCustomerId == _customerId)
        {
            throw new ArgumentException("A customer cannot be merged into itself.", nameof(sourceCustomerId));
        }

        if (state.State.MergedInto is { } canonical)
        {
            return await Canonical(canonical).MergeAsync(sourceCustomerId);
        }

        ThrowIfErased();
        var configuration = await tenants.GetAsync(_tenantId);
        var source = await Canonical(sourceCustomerId).MergeIntoAsync(_customerId);
        var profile = await MutateAsync(async () =>
        {
            var merged = MergeIn(sourceCustomerId, source);
            Evaluate(configuration);
            await SaveAsync();
            return merged;
        });
        await DeliverOutboxAsync();
        await Canonical(sourceCustomerId).CompleteMergeAsync();
        await aliases.AssignAsync(_tenantId, profile.Identity.Aliases, _customerId);
        return profile;
    }

    private CustomerProfile MergeIn(string sourceCustomerId, MergedCustomer source)
    {
        var profile = state.State.Profile ??= new CustomerProfile { CustomerId = _customerId };
        _recent ??= [.. state.State.RecentEventHashes];
        foreach (var hash in source.RecentEventHashes)
        {
            if (_recent.Add(hash))
            {
                Remember(hash);
            }
        }

        if (source.Profile is { } merged)
        {
            ProfileMerger.Merge(profile, merged);
        }
        else if (!profile.MergedFrom.Contains(sourceCustomerId))
        {
            profile.MergedFrom.Add(sourceCustomerId);
            profile.Identity.Aliases.Add(CustomerAliases.Id(sourceCustomerId));
        }

        Enqueue(ProfileChangeTypes.CustomerMerged, null, new { customerId = _customerId, mergedFrom = sourceCustomerId });
        return profile;
    }

    public async Task<MergedCustomer> MergeIntoAsync(string targetCustomerId)
    {
        await ReloadIfUncertainAsync();
        ThrowIfErased();
        if (state.State.MergedInto is { } existing)
        {
            // Asked again by the same target (its save failed after we handed over): hand over the same again.
            return existing == targetCustomerId
                ? new MergedCustomer(state.State.Profile, [.. state.State.RecentEventHashes])
                : throw new InvalidOperationException($"Customer '{_customerId}' was already merged into '{existing}'.");
        }

        var handed = new MergedCustomer(state.State.Profile, [.. state.State.RecentEventHashes]);
        foreach (var segment in state.State.Profile?.Segments.Keys ?? Enumerable.Empty<string>())
        {
            Enqueue(ProfileChangeTypes.SegmentExited, segment, new { segmentId = segment, reason = "merged", mergedInto = targetCustomerId });
        }

        // From now on every call is forwarded; the profile itself is kept until the target has saved the merge
        // (CompleteMergeAsync), so a target that fails in between can ask again and nothing is lost.
        state.State.MergedInto = targetCustomerId;
        StopWaking();
        await SaveAsync();
        await DeliverOutboxAsync();
        return handed;
    }

    public async Task CompleteMergeAsync()
    {
        await ReloadIfUncertainAsync();
        if (state.State.MergedInto is not null && state.State.Profile is not null)
        {
            state.State.Profile = null;
            await SaveAsync();
        }
    }

    public async Task<string?> ExportAsync()
    {
        await ReloadIfUncertainAsync();
        if (state.State.MergedInto is { } canonical)
        {
            return await Canonical(canonical).ExportAsync();
        }

        if (state.State.Profile is not { } profile || state.State.ErasedAt is not null)
        {
            return null;
        }

        return JsonSerializer.Serialize(
            new
            {
                tenantId = _tenantId,
                customerId = _customerId,
                exportedAt = time.GetUtcNow(),
                profile,
                pendingChanges = state.State.Outbox,
                recentEventIdHashes = state.State.RecentEventHashes.Count,
            },
            ExportOptions);
    }

    public async Task EraseAsync()
    {
        await ReloadIfUncertainAsync();
        if (state.State.MergedInto is { } canonical)
        {
            await Canonical(canonical).EraseAsync();
            return;
        }

        if (state.State.ErasedAt is not null)
        {
            return;
        }

        var now = time.GetUtcNow();

        // Nothing personal survives: the dedup window holds hashes of partners' event ids, kept so a redelivered
        // event is still recognised; the tombstone itself keeps later events from building a new profile.
        state.State.Profile = null;
        state.State.ErasedAt = now;
        state.State.Outbox.RemoveAll(c => c.Type != ProfileChangeTypes.CustomerErased);
        Enqueue(ProfileChangeTypes.CustomerErased, null, new { customerId = _customerId, erasedAt = now });
        StopWaking();
        await SaveAsync();
        await DeliverOutboxAsync();
        await aliases.ReleaseAllAsync(_tenantId, _customerId);
    }

    public async Task<string> GetCanonicalIdAsync() =>
        state.State.MergedInto is { } canonical ? await Canonical(canonical).GetCanonicalIdAsync() : _customerId;

    private ICustomerGrain Canonical(string customerId) => GrainFactory.GetGrain<ICustomerGrain>(CustomerGrainKey.For(_tenantId, customerId));

    private void ThrowIfErased()
    {
        if (state.State.ErasedAt is not null)
        {
            throw new InvalidOperationException($"Customer '{_customerId}' was erased.");
        }
    }

    private void OnEffect(EventEffect effect, CustomerEventData e)
    {
        var properties = EventProperties.Parse(e.Properties);
        switch (effect)
        {
            case EventEffect.HumanRequested:
                Enqueue(ProfileChangeTypes.HumanRequested, null, new { caseId = properties.Text("caseId") ?? $"human-{e.EventId}", reason = properties.Text("reason") });
                break;
            case EventEffect.HumanResolved:
                Enqueue(ProfileChangeTypes.HumanResolved, null, new { caseId = properties.Text("caseId") });
                break;
        }
    }

    private async Task EvaluateAndSaveAsync()
    {
        var configuration = await tenants.GetAsync(_tenantId);
        var changed = await MutateAsync(async () =>
        {
            var changed = Evaluate(configuration);
            if (changed)
            {
                await SaveAsync();
            }

            return changed;
        });
        if (changed)
        {
            await DeliverOutboxAsync();
        }
    }

    /// <summary>Recomputes scores and segment memberships now; returns whether anything changed that must be saved.</summary>
    private bool Evaluate(TenantConfiguration configuration)
    {
        var profile = state.State.Profile!;
        var now = time.GetUtcNow();
        var outboxBefore = state.State.Outbox.Count;
        var levelBefore = profile.Churn.Level;
        var scoreBefore = profile.Churn.Score;

        var next = ProfileScores.Recompute(profile, configuration.Policy, now);
        if (profile.Churn.Level != levelBefore)
        {
            Enqueue(ProfileChangeTypes.ChurnRiskChanged, null, new { from = levelBefore, to = profile.Churn.Level, score = profile.Churn.Score, reasons = profile.Churn.Reasons });
        }

        foreach (var segment in configuration.Segments)
        {
            var member = SegmentEvaluator.IsMember(profile, segment, now, ref next);
            if (member && !profile.Segments.ContainsKey(segment.Id))
            {
                profile.Segments[segment.Id] = now;
                Enqueue(ProfileChangeTypes.SegmentEntered, segment.Id, new { segmentId = segment.Id, segmentName = segment.Name });
            }
            else if (!member && profile.Segments.Remove(segment.Id))
            {
                Enqueue(ProfileChangeTypes.SegmentExited, segment.Id, new { segmentId = segment.Id, segmentName = segment.Name });
            }
        }

        foreach (var gone in profile.Segments.Keys.Where(id => configuration.Segments.All(s => s.Id != id)).ToList())
        {
            profile.Segments.Remove(gone);
            Enqueue(ProfileChangeTypes.SegmentExited, gone, new { segmentId = gone, reason = "segment deleted" });
        }

        var wakeBefore = state.State.WakeAt;
        ScheduleWake(next, now);
        return state.State.Outbox.Count != outboxBefore || profile.Churn.Score != scoreBefore || state.State.WakeAt != wakeBefore;
    }

    /// <summary>
    /// A timer for the exact moment while the grain is active, and the moment itself in the state, which the
    /// storage writes with the row for the wake-up scanner. (A reminder per customer cost a reminder-table write
    /// and a silo timer per customer: profiles activated at 559 per second with them.)
    /// </summary>
    private void ScheduleWake(DateTimeOffset? next, DateTimeOffset now)
    {
        state.State.WakeAt = next;
        if (next is not { } at)
        {
            StopWaking();
            return;
        }

        if (_wakeTimerAt != at)
        {
            _wakeTimer?.Dispose();
            (_wakeTimer, _wakeTimerAt) = (null, null);
            var wait = at - now;
            if (wait <= MaxTimerWait)
            {
                _wakeTimer = this.RegisterGrainTimer(_ => EvaluateAndSaveAsync(), new GrainTimerCreationOptions(wait, Timeout.InfiniteTimeSpan) { Interleave = false });
                _wakeTimerAt = at;
            }
        }
    }

    private void StopWaking()
    {
        _wakeTimer?.Dispose();
        (_wakeTimer, _wakeTimerAt) = (null, null);
        state.State.WakeAt = null;
    }

    private void Enqueue(string type, string? segmentId, object payload)
    {
        var now = time.GetUtcNow();
        state.State.Outbox.Add(new ProfileChange(Guid.CreateVersion7(now).ToString("N"), type, now, segmentId, JsonSerializer.Serialize(payload, ExportOptions)));
        if (segmentId is not null)
        {
            ProfilesTelemetry.SegmentChanges.Add(1, new KeyValuePair<string, object?>("change", type));
        }
    }

    private async Task SaveAsync()
    {
        try
        {
            await state.WriteStateAsync();
            _unsavedChanges = false;
        }
        catch
        {
            // Memory is now ahead of storage: the next call reloads what was persisted, so the consumer's
            // retry applies these events again instead of taking them for duplicates.
            _stateUncertain = true;
            throw;
        }
    }

    /// <summary>Delivers the outbox; on failure it stays in the (already saved) state and is tried again later.</summary>
    private async Task DeliverOutboxAsync()
    {
        if (state.State.Outbox.Count == 0)
        {
            return;
        }

        var pending = state.State.Outbox.ToList();
        try
        {
            await changes.DeliverAsync(_tenantId, _customerId, pending, CancellationToken.None);
            state.State.Outbox.RemoveRange(0, pending.Count);

            // The emptied outbox is written with the next state write (or on deactivation); a crash before that
            // delivers these changes again with the same event ids, which consumers deduplicate.
            _unsavedChanges = true;
        }
        catch (Exception ex)
        {
            LogOutboxFailed(logger, ex, _tenantId, _customerId, pending.Count);
        }
    }

    private async Task ClaimAliasesAsync(CustomerProfile profile)
    {
        foreach (var alias in profile.Identity.Aliases)
        {
            try
            {
                var holder = await aliases.ClaimAsync(_tenantId, alias, _customerId);
                if (holder != _customerId)
                {
                    LogAliasHeld(logger, _tenantId, alias, holder, _customerId);
                }
            }
            catch (Exception ex)
            {
                LogAliasFailed(logger, ex, _tenantId, alias);
            }
        }
    }

    private async Task ReloadIfUncertainAsync()
    {
        if (_stateUncertain)
        {
            await state.ReadStateAsync();
            _stateUncertain = false;
            _recent = null;
        }
    }

    private void Remember(ulong hash)
    {
        var window = state.State.RecentEventHashes;
        window.Add(hash);
        if (window.Count > DedupWindow)
        {
            _recent!.Remove(window[0]);
            window.RemoveAt(0);
        }
    }

    private static void Count(ContactDecision decision) =>
        ProfilesTelemetry.ContactDecisions.Add(
            1,
            new KeyValuePair<string, object?>("outcome", decision.Outcome.ToString().ToLowerInvariant()),
            new KeyValuePair<string, object?>("reason", decision.Reason),
            new KeyValuePair<string, object?>("channel", ContactNames.Of(decision.Channel)),
            new KeyValuePair<string, object?>("purpose", ContactNames.Of(decision.Purpose)));

    [LoggerMessage(Level = LogLevel.Debug, Message = "Contact {Outcome} ({Reason}) for {Tenant}/{Customer} on {Channel} for {Purpose}")]
    private static partial void LogDecision(ILogger logger, string tenant, string customer, ContactOutcome outcome, string reason, ContactChannel channel, ContactPurpose purpose);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recent contact decisions of {Tenant}/{Customer} could not be saved on deactivation")]
    private static partial void LogDecisionsNotSaved(ILogger logger, Exception exception, string tenant, string customer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} profile changes of {Tenant}/{Customer} not delivered yet; they are kept and sent again")]
    private static partial void LogOutboxFailed(ILogger logger, Exception exception, string tenant, string customer, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alias {Alias} of tenant {Tenant} belongs to {Holder}, not {Customer}; merge them to combine")]
    private static partial void LogAliasHeld(ILogger logger, string tenant, string alias, string holder, string customer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alias {Alias} of tenant {Tenant} could not be claimed")]
    private static partial void LogAliasFailed(ILogger logger, Exception exception, string tenant, string alias);
}
