using Microsoft.Extensions.Options;
using RetentionPlatform.Gateway.Authentication;

namespace RetentionPlatform.Gateway.Tests;

public sealed class ApiKeyStoreTests
{
    private static ApiKeyStore Store(params (string Name, string Tenant, string Hash)[] keys) =>
        new(Options.Create(keys.ToDictionary(k => k.Name, k => new ApiKeyOptions { Tenant = k.Tenant, Sha256 = k.Hash })));

    [Fact]
    public void AKeyIsFoundByItsHashAndGivesItsTenant()
    {
        var store = Store(("a", "tenant-a", ApiKeyHasher.Hash("secret-a")), ("b", "tenant-b", ApiKeyHasher.Hash("secret-b")));

        Assert.Equal("tenant-b", store.Find("secret-b")?.Tenant);
        Assert.Null(store.Find("secret-c"));
        Assert.Null(store.Find(ApiKeyHasher.Hash("secret-a")));
    }

    [Fact]
    public void TheHashIsLowercaseHexSha256()
    {
        Assert.Equal("2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b", ApiKeyHasher.Hash("secret"));
    }

    [Theory]
    [InlineData("Tenant_A", "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b")]
    [InlineData("tenant/a", "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b")]
    [InlineData("tenant-a", "abc")]
    public void AMisconfiguredKeyStopsTheGatewayFromStarting(string tenant, string hash)
    {
        Assert.Throws<InvalidOperationException>(() => Store(("bad", tenant, hash)));
    }
}
