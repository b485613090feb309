using System.Runtime.InteropServices;

namespace RetentionPlatform.Recommendations.Model;

/// <summary>
/// One tenant's catalog and learned model, updated one interaction at a time and safe to use from any thread.
/// <list type="bullet">
/// <item>Item-to-item similarity from co-occurrence in the same customer's recent history (views, cart adds,
/// purchases, weighted), time-decayed, and normalised by both items' popularity (cosine) with shrinkage, so a
/// best-seller is not everyone's neighbour and a pair seen once does not outrank a pair seen often.</item>
/// <item>Popularity by recency, long-term and short-term ("trending"), kept as ordered top lists per category.</item>
/// <item>Each customer's recent interactions, purchases and cart.</item>
/// </list>
/// Decayed values are stored scaled by 2^(t/half-life) from a common origin, so every update is O(1) and
/// values recorded at different times compare directly; the origin moves forward before the scale overflows.
/// </summary>
public sealed class TenantModel
{
    private const int TopCapacity = 100;
    private const double RescaleAbove = 1e12;
    private const double TrendingMinimumActivity = 3;
    private const double TrendingShareRatio = 1.5;
    private const int InterestCategoriesFilled = 2;

    private readonly RecommenderOptions _options;
    private readonly double _halfLifeDays;
    private readonly double _trendingHalfLifeDays;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _itemIndex = new(StringComparer.Ordinal);
    private readonly List<ItemState> _items = [];
    private readonly Dictionary<string, int> _categoryIndex = new(StringComparer.Ordinal);
    private readonly List<string> _categoryNames = [];
    private readonly List<List<int>> _categoryItems = [];
    private readonly List<TopList> _categoryTop = [];
    private readonly TopList _top = new(TopCapacity);
    private readonly Dictionary<string, CustomerState> _customers = new(StringComparer.Ordinal);
    private readonly HashSet<int> _scratchExcluded = [];
    private readonly HashSet<int> _scratchSeen = [];
    private readonly Dictionary<int, double> _scratchInterests = [];
    private readonly Dictionary<int, Candidate> _scratchCandidates = [];
    private readonly PriorityQueue<Candidate, double> _scratchBest = new();
    private DateTimeOffset? _origin;
    private double _totalPopularity;
    private double _totalRecentPopularity;
    private long _interactions;

    public TenantModel(RecommenderOptions options)
    {
        _options = options;
        _halfLifeDays = options.HalfLife.TotalDays;
        _trendingHalfLifeDays = options.TrendingHalfLife.TotalDays;
    }

    public int ItemCount
    {
        get
        {
            lock (_gate)
            {
                return _itemIndex.Count;
            }
        }
    }

    public int CustomerCount
    {
        get
        {
            lock (_gate)
            {
                return _customers.Count;
            }
        }
    }

    public long InteractionCount => Interlocked.Read(ref _interactions);

    /// <summary>Creates or replaces an item's catalog data; true when it was new (or had been removed).</summary>
    public bool UpsertItem(CatalogItem item)
    {
        lock (_gate)
        {
            var created = !_itemIndex.TryGetValue(item.ItemId, out var existing) || _items[existing].Removed;
            var state = ItemFor(item.ItemId, item.CreatedAt);
            if (created)
            {
                state.CreatedAt = item.CreatedAt;
            }

            state.Name = item.Name;
            state.Price = item.Price;
            state.Available = item.Available;
            state.Hidden = item.Hidden;
            state.Removed = false;
            var index = _itemIndex[item.ItemId];
            MoveToCategory(index, item.Category);
            if (state.Popularity > 0)
            {
                // A removed item left the top lists; back in the catalog, it takes its place again by its score.
                _top.Offer(index, state.Popularity);
                _categoryTop[state.Category].Offer(index, state.Popularity);
            }

            return created;
        }
    }

    /// <summary>
    /// Applies what an event says about an item (a shop's product_viewed carries its name, category, price and
    /// stock): only the values given change, and an event never un-hides or restores a removed item.
    /// </summary>
    public void UpdateItemFromEvent(string itemId, string? name, string? category, decimal? price, bool? available, DateTimeOffset at)
    {
        lock (_gate)
        {
            var state = ItemFor(itemId, at);
            if (state.Removed)
            {
                return;
            }

            state.Name = name ?? state.Name;
            state.Price = price ?? state.Price;
            state.Available = available ?? state.Available;
            if (category is not null)
            {
                MoveToCategory(_itemIndex[itemId], category);
            }
        }
    }

    /// <summary>Removes an item from the catalog: it is never recommended again (until upserted anew).</summary>
    public bool RemoveItem(string itemId)
    {
        lock (_gate)
        {
            if (!_itemIndex.TryGetValue(itemId, out var index) || _items[index].Removed)
            {
                return false;
            }

            _items[index].Removed = true;
            _top.Remove(index);
            _categoryTop[_items[index].Category].Remove(index);
            return true;
        }
    }

    public CatalogItem? GetItem(string itemId)
    {
        lock (_gate)
        {
            return _itemIndex.TryGetValue(itemId, out var index) && !_items[index].Removed ? ToCatalogItem(_items[index]) : null;
        }
    }

    /// <summary>The items in the customer's cart, as the model knows it.</summary>
    public IReadOnlyList<string> CartOf(string customerId)
    {
        lock (_gate)
        {
            return _customers.TryGetValue(customerId, out var customer) ? [.. customer.Cart.Select(i => _items[i].Id)] : [];
        }
    }

    /// <summary>Replaces the customer's cart (the items in it are never recommended to them).</summary>
    public void SetCart(string customerId, IEnumerable<string> itemIds, DateTimeOffset at)
    {
        lock (_gate)
        {
            var customer = CustomerFor(customerId);
            customer.Cart.Clear();
            foreach (var itemId in itemIds)
            {
                customer.Cart.Add(_itemIndex.TryGetValue(itemId, out var index) ? index : IndexOf(ItemFor(itemId, at)));
            }
        }
    }

    /// <summary>Forgets everything about one customer (erasure). True when the customer was known.</summary>
    public bool EraseCustomer(string customerId)
    {
        lock (_gate)
        {
            return _customers.Remove(customerId);
        }
    }

    public void Apply(in Interaction interaction)
    {
        lock (_gate)
        {
            ApplyLocked(interaction);
        }
    }

    /// <summary>Applies interactions in order under one lock (a consumer batch, a replay).</summary>
    public void Apply(ReadOnlySpan<Interaction> interactions)
    {
        lock (_gate)
        {
            foreach (ref readonly var interaction in interactions)
            {
                ApplyLocked(interaction);
            }
        }
    }

    /// <summary>
    /// Items for one customer: what their recent items' neighbours suggest (weighted by how recent and how strong
    /// each interaction was), never what they bought recently, have in the cart or already interacted with, spread
    /// across categories; filled with what is popular in their categories and then overall.
    /// </summary>
    public RecommendationList RecommendForCustomer(string customerId, RecommendationQuery query, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!TryCreateFilter(query, out var filter))
            {
                return new RecommendationList([], ColdStart: true);
            }

            // Scratch collections reused under the lock: a request allocates little beyond its answer (GC pauses were
            // most of the p99 at 1,000 requests/s).
            var (excluded, interests, candidates) = (_scratchExcluded, _scratchInterests, _scratchCandidates);
            excluded.Clear();
            interests.Clear();
            candidates.Clear();
            if (_customers.TryGetValue(customerId, out var customer))
            {
                excluded.UnionWith(customer.Cart);
                foreach (var (item, boughtAt) in customer.Purchased)
                {
                    if (now - boughtAt < _options.RepurchaseExclusion)
                    {
                        excluded.Add(item);
                    }
                }

                // What they looked at or put in the cart is known to them; what they bought (however they got to it) comes
                // back after the repurchase window.
                foreach (var entry in customer.Recent)
                {
                    if (!customer.Purchased.ContainsKey(entry.Item))
                    {
                        excluded.Add(entry.Item);
                    }
                }

                CollectFromHistory(customer, now, filter, excluded, interests, candidates);
            }

            // A blend: the strongest personal suggestions first (at most PersonalShare of the list), then what is popular in
            // the one or two categories the customer cares most about and overall (what many customers buy is a good bet
            // too), then the remaining personal suggestions if the popular ones ran out (filters, a small catalog).
            var personal = Diversify(candidates, query.Limit);
            var coldStart = personal.Count == 0;
            var share = Math.Min(personal.Count, (int)Math.Ceiling(query.Limit * _options.PersonalShare));
            var picked = personal.GetRange(0, share);
            var chosen = new HashSet<int>(personal.Select(p => p.Index));
            foreach (var (category, _) in interests.OrderByDescending(i => i.Value).Take(InterestCategoriesFilled))
            {
                if (filter.Category < 0 || filter.Category == category)
                {
                    FillFromPopular(picked, chosen, excluded, filter, category, Math.Min(query.Limit, picked.Count + 1), now);
                }
            }

            FillFromPopular(picked, chosen, excluded, filter, -1, query.Limit, now);
            picked.AddRange(personal.Skip(share).Take(query.Limit - picked.Count));
            return new RecommendationList([.. picked.Select(p => ToRecommendation(p, now))], coldStart);
        }
    }

    /// <summary>Items bought or viewed together with one item; null when the item is not in the catalog.</summary>
    public RecommendationList? SimilarItems(string itemId, RecommendationQuery query, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_itemIndex.TryGetValue(itemId, out var source) || _items[source].Removed)
            {
                return null;
            }

            if (!TryCreateFilter(query, out var filter))
            {
                return new RecommendationList([], ColdStart: true);
            }

            var item = _items[source];
            var invLong = InverseLongFactor(now);
            var picked = new List<Candidate>();
            if (item.Neighbours is { } neighbours)
            {
                foreach (var (index, pair) in neighbours)
                {
                    if (index != source && filter.Admits(_items[index]))
                    {
                        var similarity = Similarity(pair.All, item.Popularity, _items[index].Popularity, invLong);
                        if (similarity > 0)
                        {
                            picked.Add(new Candidate(index, similarity, source, IsBoughtTogether(pair)));
                        }
                    }
                }

                picked.Sort((a, b) => b.Score.CompareTo(a.Score));
                if (picked.Count > query.Limit)
                {
                    picked.RemoveRange(query.Limit, picked.Count - query.Limit);
                }
            }

            var coldStart = picked.Count == 0;
            var chosen = new HashSet<int>(picked.Select(p => p.Index)) { source };
            FillFromPopular(picked, chosen, [], filter, item.Category, query.Limit, now);
            FillFromPopular(picked, chosen, [], filter, -1, query.Limit, now);
            return new RecommendationList([.. picked.Select(p => ToRecommendation(p, now))], coldStart);
        }
    }

    /// <summary>The most popular items by recent activity, overall or in the query's category.</summary>
    public RecommendationList Popular(RecommendationQuery query, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!TryCreateFilter(query, out var filter))
            {
                return new RecommendationList([], ColdStart: false);
            }

            var picked = new List<Candidate>();
            FillFromPopular(picked, [], [], filter, filter.Category, query.Limit, now);
            return new RecommendationList([.. picked.Select(p => ToRecommendation(p, now))], ColdStart: false);
        }
    }

    private void ApplyLocked(in Interaction interaction)
    {
        var item = ItemFor(interaction.ItemId, interaction.OccurredAt);
        if (item.Removed)
        {
            return;
        }

        var index = _itemIndex[interaction.ItemId];
        var customer = CustomerFor(interaction.CustomerId);
        var at = interaction.OccurredAt;
        var weight = Weight(interaction.Kind);
        var (longFactor, shortFactor) = Factors(at);

        item.Popularity += weight * longFactor;
        item.RecentPopularity += weight * shortFactor;
        _totalPopularity += weight * longFactor;
        _totalRecentPopularity += weight * shortFactor;
        _top.Offer(index, item.Popularity);
        _categoryTop[item.Category].Offer(index, item.Popularity);

        PairWithHistory(customer, index, interaction.Kind, at, longFactor);

        customer.Recent.Add(new HistoryEntry(index, interaction.Kind, at));
        if (customer.Recent.Count > _options.HistoryLength)
        {
            customer.Recent.RemoveRange(0, customer.Recent.Count - _options.HistoryLength);
        }

        switch (interaction.Kind)
        {
            case InteractionKind.Purchase:
                ref var boughtAt = ref CollectionsMarshal.GetValueRefOrAddDefault(customer.Purchased, index, out var existed);
                boughtAt = existed && boughtAt > at ? boughtAt : at;
                customer.Cart.Remove(index);
                break;
            case InteractionKind.Cart:
                customer.Cart.Add(index);
                break;
        }

        _interactions++;
    }

    private void PairWithHistory(CustomerState customer, int index, InteractionKind kind, DateTimeOffset at, double longFactor)
    {
        var recent = customer.Recent;
        var window = Math.Min(recent.Count, _options.PairWindow * 2);

        // The same item seen again at no stronger kind was already paired with everything since: counting it again
        // would let one customer's repeated clicks outweigh other customers.
        for (var i = recent.Count - 1; i >= recent.Count - window; i--)
        {
            if (recent[i].Item == index && recent[i].Kind >= kind)
            {
                return;
            }
        }

        Span<int> paired = stackalloc int[_options.PairWindow];
        var count = 0;
        for (var i = recent.Count - 1; i >= 0 && count < paired.Length; i--)
        {
            var entry = recent[i];
            if (entry.Item == index || (at - entry.At).Duration() > _options.PairMaxGap || paired[..count].Contains(entry.Item))
            {
                continue;
            }

            paired[count++] = entry.Item;
            var strength = Math.Min(Weight(entry.Kind), Weight(kind)) * longFactor;
            var bought = entry.Kind == InteractionKind.Purchase && kind == InteractionKind.Purchase;
            AddPair(index, entry.Item, strength, bought);
            AddPair(entry.Item, index, strength, bought);
        }
    }

    private void AddPair(int from, int to, double strength, bool bought)
    {
        var neighbours = _items[from].Neighbours ??= [];
        ref var pair = ref CollectionsMarshal.GetValueRefOrAddDefault(neighbours, to, out _);
        pair.All += (float)strength;
        if (bought)
        {
            pair.Bought += (float)strength;
        }

        if (neighbours.Count > _options.MaxNeighbours * 2)
        {
            var weakest = neighbours.OrderByDescending(n => n.Value.All).Skip(_options.MaxNeighbours).Select(n => n.Key).ToArray();
            foreach (var key in weakest)
            {
                neighbours.Remove(key);
            }
        }
    }

    private void CollectFromHistory(CustomerState customer, DateTimeOffset now, in ItemFilter filter, HashSet<int> excluded, Dictionary<int, double> interests, Dictionary<int, Candidate> candidates)
    {
        var invLong = InverseLongFactor(now);
        var seeds = 0;
        var seen = _scratchSeen;
        seen.Clear();
        for (var i = customer.Recent.Count - 1; i >= 0 && seeds < _options.PairWindow; i--)
        {
            var entry = customer.Recent[i];
            if (!seen.Add(entry.Item))
            {
                continue;
            }

            seeds++;
            var seed = _items[entry.Item];
            var interest = Weight(entry.Kind) * double.Exp2(-Math.Max(0, (now - entry.At).TotalDays) / _options.InterestHalfLife.TotalDays);
            CollectionsMarshal.GetValueRefOrAddDefault(interests, seed.Category, out _) += interest;
            if (seed.Neighbours is null)
            {
                continue;
            }

            foreach (var (index, pair) in seed.Neighbours)
            {
                if (excluded.Contains(index) || !filter.Admits(_items[index]))
                {
                    continue;
                }

                var contribution = interest * Similarity(pair.All, seed.Popularity, _items[index].Popularity, invLong);
                if (contribution <= 0)
                {
                    continue;
                }

                ref var candidate = ref CollectionsMarshal.GetValueRefOrAddDefault(candidates, index, out var exists);
                if (!exists || contribution > candidate.BestContribution)
                {
                    candidate = new Candidate(index, (exists ? candidate.Score : 0) + contribution, entry.Item, IsBoughtTogether(pair)) { BestContribution = contribution };
                }
                else
                {
                    candidate = candidate with { Score = candidate.Score + contribution };
                }
            }
        }
    }

    /// <summary>Greedy re-ranking: each further item of a category already chosen has its score damped.</summary>
    private List<Candidate> Diversify(Dictionary<int, Candidate> candidates, int limit)
    {
        var strongest = 0.0;
        foreach (var candidate in candidates.Values)
        {
            strongest = Math.Max(strongest, candidate.Score);
        }

        // The best limit x 4 above the cut, selected in one pass (no sort of every candidate).
        var top = _scratchBest;
        top.Clear();
        foreach (var candidate in candidates.Values)
        {
            if (candidate.Score >= strongest * _options.RelativeCut)
            {
                top.Enqueue(candidate, candidate.Score);
                if (top.Count > limit * 4)
                {
                    top.Dequeue();
                }
            }
        }

        var pool = new List<Candidate>(top.Count);
        while (top.Count > 0)
        {
            pool.Add(top.Dequeue());
        }

        pool.Reverse();
        var picked = new List<Candidate>(limit);
        var perCategory = new Dictionary<int, int>();
        while (picked.Count < limit && pool.Count > 0)
        {
            var best = -1;
            var bestScore = double.MinValue;
            for (var i = 0; i < pool.Count; i++)
            {
                var category = _items[pool[i].Index].Category;
                var score = pool[i].Score * Math.Pow(_options.CategoryPenalty, perCategory.GetValueOrDefault(category));
                if (score > bestScore)
                {
                    (best, bestScore) = (i, score);
                }
            }

            var chosen = pool[best];
            pool.RemoveAt(best);
            perCategory[_items[chosen.Index].Category] = perCategory.GetValueOrDefault(_items[chosen.Index].Category) + 1;
            picked.Add(chosen);
        }

        return picked;
    }

    /// <summary>
    /// Adds the most popular admissible items of a category (or all for -1) until <paramref name="limit"/>: first from
    /// the category's top list, then (rarely: filters or exclusions emptied it) the best of the remaining items by
    /// popularity and then newest, selected in one pass without sorting the category.
    /// </summary>
    private void FillFromPopular(List<Candidate> picked, HashSet<int> chosen, HashSet<int> excluded, in ItemFilter filter, int category, int limit, DateTimeOffset now)
    {
        if (picked.Count >= limit)
        {
            return;
        }

        var invLong = InverseLongFactor(now);
        var top = category < 0 ? _top : _categoryTop[category];
        foreach (var index in top.Items)
        {
            if (!excluded.Contains(index) && !chosen.Contains(index) && filter.Admits(_items[index]))
            {
                chosen.Add(index);
                picked.Add(new Candidate(index, _items[index].Popularity * invLong, -1, Bought: false, InCategory: category >= 0));
                if (picked.Count >= limit)
                {
                    return;
                }
            }
        }

        var needed = limit - picked.Count;
        var best = new PriorityQueue<int, (double Popularity, long Created)>(needed + 1);
        var count = category < 0 ? _items.Count : _categoryItems[category].Count;
        for (var i = 0; i < count; i++)
        {
            var index = category < 0 ? i : _categoryItems[category][i];
            var item = _items[index];
            if (excluded.Contains(index) || chosen.Contains(index) || !filter.Admits(item))
            {
                continue;
            }

            best.Enqueue(index, (item.Popularity, item.CreatedAt.UtcTicks));
            if (best.Count > needed)
            {
                best.Dequeue();
            }
        }

        var rest = new int[best.Count];
        for (var i = rest.Length - 1; i >= 0; i--)
        {
            rest[i] = best.Dequeue();
        }

        foreach (var index in rest)
        {
            chosen.Add(index);
            picked.Add(new Candidate(index, _items[index].Popularity * invLong, -1, Bought: false, InCategory: category >= 0));
        }
    }

    private Recommendation ToRecommendation(Candidate candidate, DateTimeOffset now)
    {
        var item = _items[candidate.Index];
        RecommendationReason reason;
        if (candidate.Seed >= 0)
        {
            var seed = _items[candidate.Seed];
            reason = candidate.Bought
                ? new RecommendationReason(ReasonKind.BoughtTogether, $"Bought together with {seed.DisplayName}", seed.Id)
                : new RecommendationReason(ReasonKind.ViewedTogether, $"Customers who looked at {seed.DisplayName} also looked at this", seed.Id);
        }
        else if (item.Popularity <= 0)
        {
            var category = _categoryNames[item.Category];
            reason = candidate.InCategory
                ? new RecommendationReason(ReasonKind.New, $"New in {category}", Category: category)
                : new RecommendationReason(ReasonKind.New, "New in the catalog");
        }
        else if (IsTrending(item, now))
        {
            reason = new RecommendationReason(ReasonKind.Trending, "Trending now");
        }
        else if (candidate.InCategory)
        {
            var category = _categoryNames[item.Category];
            reason = new RecommendationReason(ReasonKind.PopularInCategory, $"Popular in {category}", Category: category);
        }
        else
        {
            reason = new RecommendationReason(ReasonKind.Popular, "Popular right now");
        }

        return new Recommendation(ToCatalogItem(item), candidate.Score, reason);
    }

    private bool IsTrending(ItemState item, DateTimeOffset now)
    {
        if (_totalPopularity <= 0 || _totalRecentPopularity <= 0 || _origin is null)
        {
            return false;
        }

        var recentActivity = item.RecentPopularity * double.Exp2(-(now - _origin.Value).TotalDays / _trendingHalfLifeDays);
        return recentActivity >= TrendingMinimumActivity
            && item.RecentPopularity / _totalRecentPopularity >= TrendingShareRatio * (item.Popularity / _totalPopularity);
    }

    private double Similarity(float pairStrength, double seedPopularity, double itemPopularity, double inverseLongFactor)
    {
        if (pairStrength <= 0 || seedPopularity <= 0 || itemPopularity <= 0)
        {
            return 0;
        }

        var together = pairStrength * inverseLongFactor;
        return together < _options.MinimumEvidence
            ? 0
            : pairStrength / Math.Sqrt(seedPopularity * itemPopularity) * (together / (together + _options.Shrinkage));
    }

    /// <summary>Purchases by the same customers make a real share of the pair's evidence (a purchase weighs four views).</summary>
    private static bool IsBoughtTogether(PairStrength pair) => pair.Bought > 0 && pair.Bought >= pair.All / 4;

    private (double Long, double Short) Factors(DateTimeOffset at)
    {
        _origin ??= at;
        var days = (at - _origin.Value).TotalDays;
        var shortFactor = double.Exp2(days / _trendingHalfLifeDays);
        if (shortFactor > RescaleAbove)
        {
            MoveOrigin(at);
            days = 0;
            shortFactor = 1;
        }

        return (double.Exp2(days / _halfLifeDays), shortFactor);
    }

    /// <summary>Moves the decay clocks' origin to <paramref name="origin"/>, rescaling every stored value (rare).</summary>
    private void MoveOrigin(DateTimeOffset origin)
    {
        var days = (origin - _origin!.Value).TotalDays;
        var longScale = double.Exp2(-days / _halfLifeDays);
        var shortScale = double.Exp2(-days / _trendingHalfLifeDays);
        foreach (var item in _items)
        {
            item.Popularity *= longScale;
            item.RecentPopularity *= shortScale;
            if (item.Neighbours is { } neighbours)
            {
                foreach (var key in neighbours.Keys)
                {
                    ref var pair = ref CollectionsMarshal.GetValueRefOrNullRef(neighbours, key);
                    pair.All = (float)(pair.All * longScale);
                    pair.Bought = (float)(pair.Bought * longScale);
                }
            }
        }

        _totalPopularity *= longScale;
        _totalRecentPopularity *= shortScale;
        _top.Rescale(longScale);
        foreach (var top in _categoryTop)
        {
            top.Rescale(longScale);
        }

        _origin = origin;
    }

    private double InverseLongFactor(DateTimeOffset now) =>
        _origin is null ? 1 : double.Exp2(-(now - _origin.Value).TotalDays / _halfLifeDays);

    private static double Weight(InteractionKind kind) => kind switch
    {
        InteractionKind.Purchase => 4,
        InteractionKind.Cart => 2,
        _ => 1,
    };

    private ItemState ItemFor(string itemId, DateTimeOffset createdAt)
    {
        if (_itemIndex.TryGetValue(itemId, out var index))
        {
            return _items[index];
        }

        var item = new ItemState(itemId, createdAt) { Category = CategoryIndex(CatalogItem.Uncategorised) };
        _itemIndex[itemId] = _items.Count;
        _categoryItems[item.Category].Add(_items.Count);
        _items.Add(item);
        return item;
    }

    private int IndexOf(ItemState item) => _itemIndex[item.Id];

    private CustomerState CustomerFor(string customerId)
    {
        ref var customer = ref CollectionsMarshal.GetValueRefOrAddDefault(_customers, customerId, out _);
        return customer ??= new CustomerState();
    }

    private int CategoryIndex(string category)
    {
        if (_categoryIndex.TryGetValue(category, out var index))
        {
            return index;
        }

        index = _categoryNames.Count;
        _categoryIndex[category] = index;
        _categoryNames.Add(category);
        _categoryItems.Add([]);
        _categoryTop.Add(new TopList(TopCapacity));
        return index;
    }

    private void MoveToCategory(int index, string category)
    {
        var item = _items[index];
        var target = CategoryIndex(category);
        if (item.Category == target)
        {
            return;
        }

        _categoryItems[item.Category].Remove(index);
        _categoryTop[item.Category].Remove(index);
        item.Category = target;
        _categoryItems[target].Add(index);
        if (item.Popularity > 0 && !item.Removed)
        {
            _categoryTop[target].Offer(index, item.Popularity);
        }
    }

    private bool TryCreateFilter(RecommendationQuery query, out ItemFilter filter)
    {
        var category = -1;
        if (query.Category is not null && !_categoryIndex.TryGetValue(query.Category, out category))
        {
            filter = default;
            return false;
        }

        filter = new ItemFilter(category, query.MinPrice, query.MaxPrice);
        return true;
    }

    private CatalogItem ToCatalogItem(ItemState item) =>
        new(item.Id, item.Name, _categoryNames[item.Category], item.Price, item.Available, item.Hidden, item.CreatedAt);

    private readonly record struct Candidate(int Index, double Score, int Seed, bool Bought, bool InCategory = false)
    {
        public double BestContribution { get; init; }
    }

    private readonly record struct ItemFilter(int Category, decimal? MinPrice, decimal? MaxPrice)
    {
        public bool Admits(ItemState item) =>
            item.IsRecommendable
            && (Category < 0 || item.Category == Category)
            && (MinPrice is null || (item.Price is { } low && low >= MinPrice))
            && (MaxPrice is null || (item.Price is { } high && high <= MaxPrice));
    }
}
