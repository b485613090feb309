using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.Tests.Model;

public sealed class ConcurrencyTests
{
    private static readonly DateTimeOffset Now = ModelBuilder.Now;

    /// <summary>A reproducible stream of interactions: 40 customers, 30 items in 3 categories, over 20 days.</summary>
    private static Interaction[] Stream(int count, int seed)
    {
        var random = new Random(seed);
        var kinds = new[] { InteractionKind.View, InteractionKind.View, InteractionKind.Cart, InteractionKind.Purchase };
        return [.. Enumerable.Range(0, count).Select(i => new Interaction(
            $"customer-{random.Next(40)}",
            $"item-{random.Next(30)}",
            kinds[random.Next(kinds.Length)],
            Now.AddDays(-20).AddMinutes(i * 7)))];
    }

    private static ModelBuilder Catalog()
    {
        var model = new ModelBuilder();
        for (var i = 0; i < 30; i++)
        {
            model.Item($"item-{i}", $"category-{i % 3}", price: i);
        }

        return model;
    }

    [Fact]
    public void ApplyingABatchIsTheSameAsApplyingEachInteractionInTurn()
    {
        var stream = Stream(2_000, seed: 7);
        var batched = Catalog();
        var oneByOne = Catalog();

        batched.Tenant.Apply(stream.AsSpan());
        foreach (var interaction in stream)
        {
            oneByOne.Tenant.Apply(interaction);
        }

        Assert.Equal(oneByOne.Tenant.InteractionCount, batched.Tenant.InteractionCount);
        Assert.Equal(oneByOne.Tenant.CustomerCount, batched.Tenant.CustomerCount);
        Assert.Equal(oneByOne.Popular().Items, batched.Popular().Items);
        for (var c = 0; c < 40; c++)
        {
            Assert.Equal(oneByOne.For($"customer-{c}").Items, batched.For($"customer-{c}").Items);
            Assert.Equal(oneByOne.Tenant.CartOf($"customer-{c}"), batched.Tenant.CartOf($"customer-{c}"));
        }

        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(oneByOne.Similar($"item-{i}")!.Items, batched.Similar($"item-{i}")!.Items);
        }
    }

    [Fact]
    public void InteractionsAppliedFromSeveralThreadsWhileQueryingAreAllCounted()
    {
        const int Threads = 8;
        const int PerThread = 1_000;
        var model = Catalog();
        var streams = Enumerable.Range(0, Threads).Select(t => Stream(PerThread, seed: t)).ToArray();
        var answered = 0;

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                if (t % 2 == 0)
                {
                    model.Tenant.Apply(streams[t][i]);
                }
                else
                {
                    model.Tenant.Apply(streams[t].AsSpan(i, 1));
                }

                if (i % 100 == 0)
                {
                    model.For($"customer-{i % 40}");
                    model.Similar($"item-{i % 30}");
                    model.Popular(new RecommendationQuery(Category: $"category-{t % 3}"));
                    model.Tenant.SetCart($"customer-{t}", [$"item-{i % 30}"], Now);
                    Interlocked.Increment(ref answered);
                }
            }
        });

        Assert.Equal(Threads * PerThread, model.Tenant.InteractionCount);
        Assert.Equal(Threads * PerThread / 100, answered);
        Assert.Equal(30, model.Tenant.ItemCount);
        Assert.Equal(10, model.Popular(new RecommendationQuery(Category: "category-0", Limit: 20)).Items.Count);
    }
}
