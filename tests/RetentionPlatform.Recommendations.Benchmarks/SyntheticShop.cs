using System.Globalization;
using RetentionPlatform.Recommendations.Evaluation;
using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.Benchmarks;

/// <summary>
/// A generated shop, the same for the same seed (only the absolute times follow the clock: the events end an hour
/// before the run starts, so none is older than the service's replay window).
/// <list type="bullet">
/// <item>Items in categories of Zipf-like sizes, prices log-uniform between 2 and 500.</item>
/// <item>Co-purchase structure: each category's items are cut into bundles of 3-5 that go together (some swap an item
/// across categories); a bundle session views some of a bundle's items, sometimes carts 1-2 of them and often buys
/// what it carted. Bundles are chosen with a Zipf-like popularity.</item>
/// <item>Browse sessions view items drawn by a Zipf-like item popularity, and now and then buy one.</item>
/// <item>Every customer has at least one session; further sessions go to customers drawn with a Zipf-like activity.</item>
/// </list>
/// The events in time order are split into the history (exactly <see cref="HistoryInteractions"/> interactions) and
/// the tail that follows it (the live stream the durable path is fed with).
/// </summary>
internal sealed class SyntheticShop
{
    public const string CategoryPrefix = "category-";

    private const int Days = 60;
    private const double BundleSession = 0.65;
    private const double CartFromBundle = 0.45;
    private const double BuyWhatIsCarted = 0.65;
    private const double CartWhileBrowsing = 0.15;
    private const double BuyWhileBrowsing = 0.7;
    private const double ViewAgain = 0.15;
    private const double CrossCategorySwap = 0.1;

    private SyntheticShop(CatalogItem[] items, string[] customerIds, Interaction[] history, string[] historyEventIds, ShopEvent[] tail, ZipfSampler itemPopularity, DateTimeOffset end)
    {
        Items = items;
        CustomerIds = customerIds;
        History = history;
        HistoryEventIds = historyEventIds;
        Tail = tail;
        ItemPopularity = itemPopularity;
        End = end;
    }

    public int HistoryInteractions => History.Length;

    public CatalogItem[] Items { get; }

    public string[] CustomerIds { get; }

    /// <summary>The history's interactions in time order.</summary>
    public Interaction[] History { get; }

    /// <summary>The id of the event each history interaction came from (an order of several items gives several).</summary>
    public string[] HistoryEventIds { get; }

    /// <summary>The events after the history, in time order.</summary>
    public ShopEvent[] Tail { get; }

    /// <summary>Draws items the way browsing shoppers look at them (for similar-item requests).</summary>
    public ZipfSampler ItemPopularity { get; }

    /// <summary>The time of the last event, or a little after.</summary>
    public DateTimeOffset End { get; }

    public static SyntheticShop Generate(int seed, int itemCount, int categoryCount, int customerCount, int historyInteractions, int tailInteractions, DateTimeOffset now)
    {
        var random = new Random(seed);
        var end = new DateTimeOffset(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero).AddHours(-1);
        var start = end.AddDays(-Days);

        var categorySampler = new ZipfSampler(categoryCount, 0.6, random);
        var categoryOf = new int[itemCount];
        var items = new CatalogItem[itemCount];
        for (var i = 0; i < itemCount; i++)
        {
            var category = categoryOf[i] = categorySampler.Next(random);
            var price = Math.Round((decimal)Math.Exp(Math.Log(2) + (random.NextDouble() * Math.Log(250))), 2);
            items[i] = new CatalogItem(
                string.Create(CultureInfo.InvariantCulture, $"sku-{i + 1:D6}"),
                string.Create(CultureInfo.InvariantCulture, $"Item {i + 1} of category {category + 1}"),
                string.Create(CultureInfo.InvariantCulture, $"{CategoryPrefix}{category + 1:D3}"),
                price,
                Available: true,
                Hidden: false,
                CreatedAt: start.AddDays(-random.NextDouble() * 365));
        }

        var bundles = CreateBundles(categoryOf, categoryCount, random);
        var bundleSampler = new ZipfSampler(bundles.Count, 0.8, random);
        var itemSampler = new ZipfSampler(itemCount, 1.0, random);
        var customerSampler = new ZipfSampler(customerCount, 0.5, random);

        var planned = new List<Planned>(historyInteractions + tailInteractions);
        var interactions = 0L;
        for (var session = 0; interactions < historyInteractions + tailInteractions; session++)
        {
            var customer = session < customerCount ? session : customerSampler.Next(random);
            var at = random.NextDouble() * Days * 86_400;
            var before = planned.Count;
            if (random.NextDouble() < BundleSession)
            {
                BundleJourney(planned, customer, bundles[bundleSampler.Next(random)], at, random);
            }
            else
            {
                Browse(planned, customer, itemSampler, at, random);
            }

            for (var i = before; i < planned.Count; i++)
            {
                interactions += planned[i].Kind == InteractionKind.Purchase ? planned[i].Items.Length : 1;
            }
        }

        planned.Sort((a, b) => a.Second != b.Second ? a.Second.CompareTo(b.Second) : a.Sequence.CompareTo(b.Sequence));

        var customerIds = new string[customerCount];
        for (var c = 0; c < customerCount; c++)
        {
            customerIds[c] = string.Create(CultureInfo.InvariantCulture, $"c-{c + 1:D6}");
        }

        var history = new Interaction[historyInteractions];
        var historyEventIds = new string[historyInteractions];
        var tail = new List<ShopEvent>();
        var filled = 0;
        for (var e = 0; e < planned.Count; e++)
        {
            var p = planned[e];
            var @event = new ShopEvent(
                string.Create(CultureInfo.InvariantCulture, $"e-{e + 1:D8}"),
                p.Customer,
                p.Kind,
                p.Items,
                p.Added,
                start.AddSeconds(Math.Floor(p.Second)));
            if (filled == historyInteractions)
            {
                tail.Add(@event);
                continue;
            }

            // The history ends at exactly the interaction count asked for (the last order may lose items).
            foreach (var item in @event.InteractionItems)
            {
                if (filled == historyInteractions)
                {
                    break;
                }

                history[filled] = new Interaction(customerIds[p.Customer], items[item].ItemId, p.Kind, @event.At);
                historyEventIds[filled++] = @event.EventId;
            }
        }

        return new SyntheticShop(items, customerIds, history, historyEventIds, [.. tail], itemSampler, end);
    }

    /// <summary>Each category's items shuffled and cut into bundles of 3-5; then some bundles swap an item across categories.</summary>
    private static List<int[]> CreateBundles(int[] categoryOf, int categoryCount, Random random)
    {
        var byCategory = new List<int>[categoryCount];
        for (var c = 0; c < categoryCount; c++)
        {
            byCategory[c] = [];
        }

        for (var i = 0; i < categoryOf.Length; i++)
        {
            byCategory[categoryOf[i]].Add(i);
        }

        var bundles = new List<int[]>();
        foreach (var members in byCategory.Select(m => m.ToArray()))
        {
            random.Shuffle(members);
            var first = 0;
            while (first < members.Length)
            {
                var left = members.Length - first;
                var size = left <= 5 ? left : random.Next(3, Math.Min(5, left - 3) + 1);
                bundles.Add(members[first..(first + size)]);
                first += size;
            }
        }

        foreach (var bundle in bundles)
        {
            if (random.NextDouble() < CrossCategorySwap)
            {
                var other = bundles[random.Next(bundles.Count)];
                var (mine, theirs) = (random.Next(bundle.Length), random.Next(other.Length));
                (bundle[mine], other[theirs]) = (other[theirs], bundle[mine]);
            }
        }

        return bundles;
    }

    private static void BundleJourney(List<Planned> planned, int customer, int[] bundle, double at, Random random)
    {
        var shuffled = bundle.ToArray();
        random.Shuffle(shuffled);
        var viewed = shuffled[..random.Next(1, Math.Min(4, shuffled.Length) + 1)];
        foreach (var item in viewed)
        {
            planned.Add(new Planned(at += Step(random), planned.Count, customer, InteractionKind.View, [item], item));
            if (random.NextDouble() < ViewAgain)
            {
                planned.Add(new Planned(at += Step(random), planned.Count, customer, InteractionKind.View, [item], item));
            }
        }

        if (random.NextDouble() >= CartFromBundle)
        {
            return;
        }

        var carted = viewed[..Math.Min(viewed.Length, random.Next(1, 3))];
        for (var i = 0; i < carted.Length; i++)
        {
            planned.Add(new Planned(at += Step(random), planned.Count, customer, InteractionKind.Cart, carted[..(i + 1)], carted[i]));
        }

        if (random.NextDouble() < BuyWhatIsCarted)
        {
            planned.Add(new Planned(at + Step(random), planned.Count, customer, InteractionKind.Purchase, carted, -1));
        }
    }

    private static void Browse(List<Planned> planned, int customer, ZipfSampler popularity, double at, Random random)
    {
        var item = -1;
        for (var n = random.Next(1, 7); n > 0; n--)
        {
            item = popularity.Next(random);
            planned.Add(new Planned(at += Step(random), planned.Count, customer, InteractionKind.View, [item], item));
        }

        if (random.NextDouble() < CartWhileBrowsing)
        {
            planned.Add(new Planned(at += Step(random), planned.Count, customer, InteractionKind.Cart, [item], item));
            if (random.NextDouble() < BuyWhileBrowsing)
            {
                planned.Add(new Planned(at + Step(random), planned.Count, customer, InteractionKind.Purchase, [item], -1));
            }
        }
    }

    /// <summary>Seconds between two events of a session: 20 s to 3 min.</summary>
    private static double Step(Random random) => 20 + (random.NextDouble() * 160);

    private readonly record struct Planned(double Second, int Sequence, int Customer, InteractionKind Kind, int[] Items, int Added);
}
