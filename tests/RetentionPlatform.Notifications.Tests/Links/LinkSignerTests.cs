using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using RetentionPlatform.Notifications.Links;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Tests.Links;

public sealed partial class LinkSignerTests
{
    private const string Base64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private readonly FakeTimeProvider _time = new(LinkTestData.Now);
    private readonly LinkSigner _signer;

    public LinkSignerTests() => _signer = new LinkSigner(LinkTestData.Key, _time);

    public static TheoryData<LinkAction> Actions => [.. Enum.GetValues<LinkAction>()];

    [Theory]
    [MemberData(nameof(Actions))]
    public void EveryActionSurvivesTheRoundTrip(LinkAction action)
    {
        var claims = LinkTestData.Claims(action);

        var read = _signer.ReadToken(_signer.CreateToken(claims), action);

        Assert.Equal(claims, read);
    }

    [Fact]
    public void EveryFieldSurvivesTheRoundTripIncludingUnicodeAndAnEmptyTarget()
    {
        var claims = new LinkClaims(
            LinkAction.Click, "Zürich-Salon", Guid.NewGuid(), "kunde/ä€😀", NotificationChannel.Sms, NotificationPurpose.Service, string.Empty, LinkTestData.Now.AddDays(-3));

        Assert.Equal(claims, _signer.ReadToken(_signer.CreateToken(claims), LinkAction.Click));
        Assert.Null(_signer.ReadToken(_signer.CreateToken(claims with { Target = null }), LinkAction.Click)!.Target);
    }

    [Fact]
    public void TokensAreUrlSafeAndCarryAtLeast128BitsOfSignature()
    {
        var token = _signer.CreateToken(LinkTestData.Claims(LinkAction.Human));

        var match = TokenShape().Match(token);
        Assert.True(match.Success, token);
        Assert.True(Base64Url.DecodeFromChars(match.Groups["signature"].Value).Length >= 16);
    }

    [Fact]
    public void ChangingAnyCharacterOfTheTokenIsRefused()
    {
        var token = _signer.CreateToken(LinkTestData.Claims(LinkAction.Click));
        var accepted = new List<string>();

        for (var position = 0; position < token.Length; position++)
        {
            foreach (var replacement in Base64UrlAlphabet + ".")
            {
                if (replacement == token[position])
                {
                    continue;
                }

                var tampered = string.Concat(token.AsSpan(0, position), replacement.ToString(), token.AsSpan(position + 1));
                if (_signer.ReadToken(tampered, LinkAction.Click) is not null)
                {
                    accepted.Add(tampered);
                }
            }
        }

        Assert.Empty(accepted);
    }

    [Fact]
    public void FlippingAnyBitOfThePayloadOrTheSignatureIsRefused()
    {
        var token = _signer.CreateToken(LinkTestData.Claims(LinkAction.Unsubscribe));
        var parts = token.Split('.');
        var payload = Base64Url.DecodeFromChars(parts[0]);
        var signature = Base64Url.DecodeFromChars(parts[1]);

        for (var bit = 0; bit < payload.Length * 8; bit++)
        {
            var changed = (byte[])payload.Clone();
            changed[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Null(_signer.ReadToken($"{Base64Url.EncodeToString(changed)}.{parts[1]}", LinkAction.Unsubscribe));
        }

        for (var bit = 0; bit < signature.Length * 8; bit++)
        {
            var changed = (byte[])signature.Clone();
            changed[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Null(_signer.ReadToken($"{parts[0]}.{Base64Url.EncodeToString(changed)}", LinkAction.Unsubscribe));
        }
    }

    [Fact]
    public void AddingRemovingOrPaddingCharactersIsRefused()
    {
        var token = _signer.CreateToken(LinkTestData.Claims(LinkAction.Human));
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        string[] variants =
        [
            token[..^1], token[1..], token + "A", "A" + token, token + "=", token + "==", token + " ", " " + token,
            token.Insert(dot, "="), token.Insert(dot, " "), token.Insert(dot + 1, "\n"), token.Insert(4, " "), token.Replace('.', '~'),
            token.Insert(dot, "."), token.ToUpperInvariant(), token.ToLowerInvariant(),
        ];

        // The base64url decoder skips whitespace and accepts padding, so every count of them must be tried: some keep
        // the length a valid base64 length.
        for (var count = 1; count <= 4; count++)
        {
            variants = [.. variants, token.Insert(dot, new string('=', count)), token.Insert(4, new string(' ', count)), token.Insert(dot + 3, new string('\n', count))];
        }

        Assert.All(variants, variant => Assert.Null(_signer.ReadToken(variant, LinkAction.Human)));
    }

    [Fact]
    public void ATokenSignedWithAnotherKeyIsRefused()
    {
        var otherKey = (byte[])LinkTestData.Key.Clone();
        otherKey[^1] ^= 1;
        var token = new LinkSigner(otherKey, _time).CreateToken(LinkTestData.Claims(LinkAction.Human));

        Assert.Null(_signer.ReadToken(token, LinkAction.Human));
    }

    [Fact]
    public void ATokenIsRefusedForEveryOtherAction()
    {
        foreach (var action in Enum.GetValues<LinkAction>())
        {
            var token = _signer.CreateToken(LinkTestData.Claims(action));
            foreach (var other in Enum.GetValues<LinkAction>().Where(other => other != action))
            {
                Assert.Null(_signer.ReadToken(token, other));
            }
        }
    }

    [Theory]
    [InlineData(LinkAction.Unsubscribe, 400)]
    [InlineData(LinkAction.Human, 400)]
    [InlineData(LinkAction.Click, 180)]
    [InlineData(LinkAction.Open, 180)]
    [InlineData(LinkAction.Feedback, 60)]
    [InlineData(LinkAction.Cancel, 60)]
    public void ATokenExpiresAfterItsActionsLifetime(LinkAction action, int days)
    {
        var token = _signer.CreateToken(LinkTestData.Claims(action));
        Assert.Equal(TimeSpan.FromDays(days), LinkSigner.LifetimeOf(action));

        _time.Advance(TimeSpan.FromDays(days));
        Assert.NotNull(_signer.ReadToken(token, action));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(_signer.ReadToken(token, action));
    }

    [Fact]
    public void ATokenIssuedFarInTheFutureIsRefused()
    {
        var token = _signer.CreateToken(LinkTestData.Claims(LinkAction.Human, issuedAt: LinkTestData.Now.AddDays(2)));

        Assert.Null(_signer.ReadToken(token, LinkAction.Human));
        Assert.NotNull(_signer.ReadToken(_signer.CreateToken(LinkTestData.Claims(LinkAction.Human, issuedAt: LinkTestData.Now.AddMinutes(5))), LinkAction.Human));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a.b")]
    [InlineData("AAAA.AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AQ.AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("%00%ff.%2e")]
    [InlineData("   ")]
    [InlineData("ä€😀.\u0000\uffff")]
    [InlineData("\ud800.\udc00")]
    public void GarbageIsRefused(string? garbage) => Assert.Null(_signer.ReadToken(garbage, LinkAction.Human));

    [Fact]
    public void RandomStringsAreRefusedWithoutThrowing()
    {
        var random = new Random(20250314);
        const string Characters = Base64UrlAlphabet + ".=+/ %\u00e4\u20ac\0";
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(0, 200);
            var text = string.Create(length, random, (span, r) =>
            {
                for (var c = 0; c < span.Length; c++)
                {
                    span[c] = Characters[r.Next(Characters.Length)];
                }
            });

            Assert.Null(_signer.ReadToken(text, LinkAction.Human));
        }
    }

    [Fact]
    public void CorrectlySignedPayloadsThisSignerNeverWroteAreRefusedWithoutThrowing()
    {
        var random = new Random(7);
        var signed = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var payload = new byte[random.Next(0, 120)];
            random.NextBytes(payload);
            if (payload.Length > 0 && random.Next(2) == 0)
            {
                payload[0] = 1;
            }

            var signature = HMACSHA256.HashData(LinkTestData.Key, payload)[..16];
            var token = $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(signature)}";
            foreach (var action in Enum.GetValues<LinkAction>())
            {
                if (_signer.ReadToken(token, action) is not null)
                {
                    signed++;
                }
            }
        }

        // Random bytes form a well-formed, unexpired payload with vanishing probability.
        Assert.Equal(0, signed);
    }

    [Fact]
    public void OversizedInputIsRefused()
    {
        var token = _signer.CreateToken(LinkTestData.Claims(LinkAction.Human));

        Assert.Null(_signer.ReadToken(new string('A', LinkSigner.MaxTokenLength + 1), LinkAction.Human));
        Assert.Null(_signer.ReadToken(new string('A', 1_000_000) + "." + token.Split('.')[1], LinkAction.Human));
        Assert.Null(_signer.ReadToken(token + new string(' ', LinkSigner.MaxTokenLength), LinkAction.Human));
    }

    [Fact]
    public void TheLongestTargetThatFitsMakesAReadableTokenAndALongerOneIsRefusedWhenSigning()
    {
        var fits = "https://shop.example/" + new string('a', 2900);
        var token = _signer.CreateToken(LinkTestData.Claims(LinkAction.Click, fits));

        Assert.True(token.Length <= LinkSigner.MaxTokenLength);
        Assert.Equal(fits, _signer.ReadToken(token, LinkAction.Click)!.Target);
        Assert.Throws<ArgumentException>(() => _signer.CreateToken(LinkTestData.Claims(LinkAction.Click, "https://shop.example/" + new string('a', 3100))));
    }

    [Fact]
    public void TokensForTwoMessagesDiffer()
    {
        var first = _signer.CreateToken(LinkTestData.Claims(LinkAction.Unsubscribe, messageId: Guid.NewGuid()));
        var second = _signer.CreateToken(LinkTestData.Claims(LinkAction.Unsubscribe, messageId: Guid.NewGuid()));

        Assert.NotEqual(first, second);
        Assert.NotEqual(first.Split('.')[1], second.Split('.')[1]);
    }

    [Fact]
    public void KeysShorterThan32BytesAreRefused() =>
        Assert.Throws<ArgumentException>(() => new LinkSigner(new byte[31], _time));

    [Fact]
    public void ClaimsWithAnEmptyIdOrAnUnknownEnumCannotBeSigned()
    {
        Assert.ThrowsAny<ArgumentException>(() => _signer.CreateToken(LinkTestData.Claims(LinkAction.Human) with { TenantId = "" }));
        Assert.ThrowsAny<ArgumentException>(() => _signer.CreateToken(LinkTestData.Claims(LinkAction.Human) with { CustomerId = new string('x', 256) }));
        Assert.ThrowsAny<ArgumentException>(() => _signer.CreateToken(LinkTestData.Claims((LinkAction)42)));
    }

    [Theory]
    [InlineData(LinkAction.Human, "h", "")]
    [InlineData(LinkAction.Unsubscribe, "u", "")]
    [InlineData(LinkAction.Click, "c", "")]
    [InlineData(LinkAction.Open, "o", ".gif")]
    [InlineData(LinkAction.Feedback, "f", "")]
    [InlineData(LinkAction.Cancel, "x", "")]
    public void UrlsAreTheBaseThenTheSegmentThenTheToken(LinkAction action, string segment, string suffix)
    {
        var claims = LinkTestData.Claims(action);
        var token = _signer.CreateToken(claims);

        Assert.Equal(segment, LinkSigner.Segment(action));
        Assert.Equal($"https://links.example/m/{segment}/{token}{suffix}", _signer.CreateUrl(new Uri("https://links.example/"), claims).AbsoluteUri);
        Assert.Equal($"https://example.com/notify/m/{segment}/{token}{suffix}", _signer.CreateUrl(new Uri("https://example.com/notify"), claims).AbsoluteUri);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+\\.(?<signature>[A-Za-z0-9_-]{22,})$")]
    private static partial Regex TokenShape();
}
