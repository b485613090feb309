using System.Security.Cryptography;
using RetentionPlatform.Notifications.Infrastructure;

namespace RetentionPlatform.Notifications.Tests.Infrastructure;

public sealed class SecretBoxTests
{
    private static readonly SecretBox Box = new(new NotificationKeys(NotificationKeys.NewMasterKey()));

    [Fact]
    public void ASealedSecretOpensForItsTenantAndIsNotStoredInTheClear()
    {
        var sealedBytes = Box.Seal("demo", "smtp-password-1234");

        Assert.Equal("smtp-password-1234", Box.Open("demo", sealedBytes));
        var plain = "smtp-password"u8.ToArray();
        Assert.DoesNotContain(ToChunks(sealedBytes, plain.Length), chunk => chunk.AsSpan().SequenceEqual(plain));
        Assert.NotEqual(sealedBytes, Box.Seal("demo", "smtp-password-1234"));
    }

    [Fact]
    public void AnotherTenantsRowAnAlteredByteOrAnotherMasterKeyDoesNotOpen()
    {
        var sealedBytes = Box.Seal("demo", "webhook-secret-abcdef");
        Assert.ThrowsAny<CryptographicException>(() => Box.Open("other", sealedBytes));

        for (var i = 0; i < sealedBytes.Length; i++)
        {
            var altered = (byte[])sealedBytes.Clone();
            altered[i] ^= 0x01;
            Assert.ThrowsAny<CryptographicException>(() => Box.Open("demo", altered));
        }

        var otherKey = new SecretBox(new NotificationKeys(NotificationKeys.NewMasterKey()));
        Assert.ThrowsAny<CryptographicException>(() => otherKey.Open("demo", sealedBytes));
        Assert.ThrowsAny<CryptographicException>(() => Box.Open("demo", [1, 2, 3]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void AMissingOrShortMasterKeyIsRefusedWithTheSettingToFix(string? masterKey)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => new NotificationKeys(masterKey));
        Assert.Contains(NotificationKeys.MasterKeySetting, refused.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<byte[]> ToChunks(byte[] bytes, int size) =>
        Enumerable.Range(0, Math.Max(0, bytes.Length - size + 1)).Select(i => bytes[i..(i + size)]);
}
