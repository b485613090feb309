using System.Globalization;

namespace RetentionPlatform.Recommendations.Evaluation;

/// <summary>
/// Generates a shop's events with a known co-purchase structure planted in them, deterministically from a seed.
/// <list type="bullet">
/// <item>Items belong to categories and have a Zipf-like popularity (a few best-sellers, a long tail).</item>
/// <item>Items are grouped into bundles of 3 to 5 items that go together, mostly of one category, some across two.
/// Each customer has 1 to 3 preferred bundles (popular bundles are preferred more often): they look at some of a
/// bundle's items, then buy 1 to 3 of them, in one order or in successive orders days apart, and now and then
/// leave one in the cart. A journey is short: views, then the first order within about two days, later orders 1 to
/// 12 days apart; so only journeys under way at a train/test split give the model something to go on.</item>
/// <item>Noise: views and purchases of items drawn by popularity (which is what a popularity baseline predicts well),
/// and views of unrelated items drawn uniformly.</item>
/// </list>
/// Events are product_viewed (with the item's category, price and name), cart_updated and order_placed, in time
/// order, with unique ids.
/// </summary>
public static class PlantedDataset
{
    private const double ItemPopularityExponent = 1.0;
    private const double BundlePopularityExponent = 0.5;
    private const double CrossCategorySwap = 0.12;
    private const double OrderTogether = 0.5;
    private const double ViewBeforeBuying = 0.6;
    private const double ViewOtherBundleItem = 0.35;
    private const double ViewAgainBeforeLaterOrder = 0.5;
    private const double AbandonInCart = 0.1;

    private static readonly string[] CategoryNames =
    [
        "coffee", "tea", "chocolate", "baking", "spices", "pasta", "sauces", "snacks", "breakfast", "drinks",
        "kitchenware", "tableware", "cleaning", "garden", "pets", "baby", "beauty", "stationery", "books", "toys",
    ];

    public static List<CustomerEvent> Generate(PlantedDatasetOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Items, 3, nameof(options.Items));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Categories, 1, nameof(options.Categories));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Categories, options.Items, nameof(options.Categories));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Customers, 1, nameof(options.Customers));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Days, 1, nameof(options.Days));

        var random = new Random(options.Seed);
        var items = CreateItems(options, random);
        var itemSampler = new ZipfSampler(items.Length, ItemPopularityExponent, random);
        var bundles = CreateBundles(items, options.Categories, random);
        var bundleSampler = new ZipfSampler(bundles.Count, BundlePopularityExponent, random);

        var journal = new Journal(options, items);
        for (var c = 0; c < options.Customers; c++)
        {
            var customer = string.Create(CultureInfo.InvariantCulture, $"c-{c + 1:D5}");
            var preferred = new HashSet<int>();
            var wanted = random.Next(1, Math.Min(3, bundles.Count) + 1);
            while (preferred.Count < wanted)
            {
                preferred.Add(bundleSampler.Next(random));
            }

            foreach (var bundle in preferred)
            {
                BundleJourney(journal, customer, bundles[bundle], options.Days, random);
            }

            Noise(journal, customer, itemSampler, items.Length, options.Days, random);
        }

        return journal.ToEvents();
    }

    private static Item[] CreateItems(PlantedDatasetOptions options, Random random)
    {
        var items = new Item[options.Items];
        for (var i = 0; i < items.Length; i++)
        {
            var category = i % options.Categories;
            var categoryName = category < CategoryNames.Length
                ? CategoryNames[category]
                : string.Create(CultureInfo.InvariantCulture, $"category-{category + 1}");

            // Prices spread log-uniformly between 2 and 200.
            var price = Math.Round((decimal)Math.Exp(Math.Log(2) + (random.NextDouble() * Math.Log(100))), 2);
            var id = string.Create(CultureInfo.InvariantCulture, $"sku-{i + 1:D5}");
            var name = string.Create(CultureInfo.InvariantCulture, $"{char.ToUpperInvariant(categoryName[0])}{categoryName[1..]} item {(i / options.Categories) + 1}");
            items[i] = new Item(id, category, new ItemDetails(categoryName, price, name));
        }

        return items;
    }

    /// <summary>Each category's items shuffled and cut into bundles of 3-5; then some bundles swap an item across categories.</summary>
    private static List<int[]> CreateBundles(Item[] items, int categories, Random random)
    {
        var bundles = new List<int[]>();
        for (var category = 0; category < categories; category++)
        {
            var members = Enumerable.Range(0, items.Length).Where(i => items[i].Category == category).ToArray();
            random.Shuffle(members);
            var start = 0;
            while (start < members.Length)
            {
                // Sizes are chosen so that what is left is never 1 or 2 items (only a category that small has a smaller bundle).
                var left = members.Length - start;
                var size = left <= 5 ? left : random.Next(3, Math.Min(5, left - 3) + 1);
                bundles.Add(members[start..(start + size)]);
                start += size;
            }
        }

        foreach (var bundle in bundles)
        {
            if (random.NextDouble() >= CrossCategorySwap)
            {
                continue;
            }

            var other = bundles[random.Next(bundles.Count)];
            if (items[other[0]].Category == items[bundle[0]].Category)
            {
                continue;
            }

            var (mine, theirs) = (random.Next(bundle.Length), random.Next(other.Length));
            (bundle[mine], other[theirs]) = (other[theirs], bundle[mine]);
        }

        return bundles;
    }

    private static void BundleJourney(Journal journal, string customer, int[] bundle, int days, Random random)
    {
        var shuffled = bundle.ToArray();
        random.Shuffle(shuffled);
        var buying = shuffled[..Math.Min(random.Next(1, 4), shuffled.Length)];
        var others = shuffled[buying.Length..];

        var start = random.NextDouble() * days;
        foreach (var item in buying.Where(_ => random.NextDouble() < ViewBeforeBuying))
        {
            journal.View(customer, start + (random.NextDouble() * 0.1), item);
        }

        foreach (var item in others.Where(_ => random.NextDouble() < ViewOtherBundleItem))
        {
            journal.View(customer, start + (random.NextDouble() * 0.1), item);
        }

        if (others.Length > 0 && random.NextDouble() < AbandonInCart)
        {
            var left = others[random.Next(others.Length)];
            var at = start + 0.1 + (random.NextDouble() * 0.1);
            journal.View(customer, at - 0.01, left);
            journal.Cart(customer, at, [left]);
        }

        var orderAt = start + 0.15 + (random.NextDouble() * 2);
        if (buying.Length == 1 || random.NextDouble() < OrderTogether)
        {
            journal.Order(customer, orderAt, buying, random);
            return;
        }

        foreach (var item in buying)
        {
            if (random.NextDouble() < ViewAgainBeforeLaterOrder)
            {
                journal.View(customer, orderAt - (random.NextDouble() * 0.05), item);
            }

            journal.Order(customer, orderAt, [item], random);
            orderAt += 1 + (random.NextDouble() * 11);
        }
    }

    private static void Noise(Journal journal, string customer, ZipfSampler popular, int items, int days, Random random)
    {
        for (var n = random.Next(0, 6); n > 0; n--)
        {
            journal.View(customer, random.NextDouble() * days, popular.Next(random));
        }

        for (var n = random.Next(0, 3); n > 0; n--)
        {
            var item = popular.Next(random);
            var at = random.NextDouble() * days;
            if (random.NextDouble() < 0.5)
            {
                journal.View(customer, at - (random.NextDouble() * 0.05), item);
            }

            journal.Order(customer, at, [item], random);
        }

        for (var n = random.Next(0, 4); n > 0; n--)
        {
            journal.View(customer, random.NextDouble() * days, random.Next(items));
        }
    }

    private readonly record struct Item(string Id, int Category, ItemDetails Attributes);

    private readonly record struct Planned(double Day, int Sequence, string Type, string Customer, string[] ItemIds, ItemDetails? Attributes);

    /// <summary>Collects a customer's events (times in days from the start), dropping those outside the period.</summary>
    private sealed class Journal(PlantedDatasetOptions options, Item[] items)
    {
        private readonly List<Planned> _planned = [];

        public void View(string customer, double day, int item) =>
            Add(day, CustomerEvent.ProductViewed, customer, [items[item].Id], items[item].Attributes);

        public void Cart(string customer, double day, int[] basket) =>
            Add(day, CustomerEvent.CartUpdated, customer, [.. basket.Select(i => items[i].Id)], null);

        /// <summary>An order, with the cart update that precedes it by a few minutes.</summary>
        public void Order(string customer, double day, int[] basket, Random random)
        {
            Cart(customer, day - ((2 + (random.NextDouble() * 28)) / (24 * 60)), basket);
            Add(day, CustomerEvent.OrderPlaced, customer, [.. basket.Select(i => items[i].Id)], null);
        }

        public List<CustomerEvent> ToEvents()
        {
            _planned.Sort((a, b) => a.Day != b.Day ? a.Day.CompareTo(b.Day) : a.Sequence.CompareTo(b.Sequence));
            var events = new List<CustomerEvent>(_planned.Count);
            foreach (var planned in _planned)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"e-{events.Count + 1:D7}");
                var at = options.Start.AddSeconds(Math.Floor(planned.Day * 86_400));
                events.Add(new CustomerEvent(id, planned.Type, planned.Customer, at, planned.ItemIds, planned.Attributes));
            }

            return events;
        }

        private void Add(double day, string type, string customer, string[] itemIds, ItemDetails? attributes)
        {
            if (day >= 0 && day < options.Days)
            {
                _planned.Add(new Planned(day, _planned.Count, type, customer, itemIds, attributes));
            }
        }
    }
}
