using RetentionPlatform.Gateway.Authentication;
using RetentionPlatform.Gateway.Tenants;

namespace RetentionPlatform.Gateway.Tests;

public sealed class ApiKeyRingTests
{
    private static ApiKeyEntry Entry(string prefix, string tenant, string key) =>
        new(prefix, ApiKeyHasher.Hash(key), tenant, [ApiScopes.Read], TenantActive: true, TenantLimit: null, KeyLimit: null);

    [Fact]
    public void AKeyIsFoundByItsHashAndGivesItsTenant()
    {
        var ring = new ApiKeyRing();
        ring.Replace(3, [Entry("p-a", "tenant-a", "secret-a"), Entry("p-b", "tenant-b", "secret-b")]);

        Assert.Equal(3, ring.Version);
        Assert.Equal("tenant-b", ring.Find("secret-b")?.Tenant);
        Assert.Null(ring.Find("secret-c"));
        Assert.Null(ring.Find(ApiKeyHasher.Hash("secret-a")));
    }

    [Fact]
    public void ReplacingTheRingForgetsKeysThatAreGone()
    {
        var ring = new ApiKeyRing();
        ring.Replace(1, [Entry("p-a", "tenant-a", "secret-a")]);
        ring.Replace(2, []);

        Assert.Null(ring.Find("secret-a"));
    }

    [Fact]
    public void TheHashIsLowercaseHexSha256()
    {
        Assert.Equal("2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b", ApiKeyHasher.Hash("secret"));
    }

    [Fact]
    public void IssuedKeysStartWithTheirPrefixAndNeverRepeat()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => ApiKeyFormat.NewKey()).ToList();

        Assert.All(keys, k => Assert.Matches("^rpk_[a-z2-7]{8}_[a-z2-7]{32}$", k.Key));
        Assert.All(keys, k => Assert.StartsWith(k.Prefix + "_", k.Key, StringComparison.Ordinal));
        Assert.All(keys, k => Assert.True(ApiKeyFormat.IsPrefix(k.Prefix)));
        Assert.Equal(keys.Count, keys.Select(k => k.Key).Distinct().Count());
    }
}
