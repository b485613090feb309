using RetentionPlatform.Notifications.Templates;

namespace RetentionPlatform.Notifications.Tests.Templates;

public sealed class LocaleFallbackTests
{
    [Theory]
    [InlineData("DE-de", "en,de-DE,fr", null, "de-DE")]
    [InlineData("de-AT", "en,de-DE,de", null, "de")]
    [InlineData("de-AT", "en,de-DE", null, "de-DE")]
    [InlineData("de_AT", "en,de", null, "de")]
    [InlineData("it", "fr,en,de", "de", "de")]
    [InlineData("it", "fr,en,de-CH", "de-DE", "de-CH")]
    [InlineData("it", "fr,en,de", null, "en")]
    [InlineData("it", "fr,nl", "de", "fr")]
    [InlineData(null, "fr,en", null, "en")]
    [InlineData("", "fr,en", "fr", "fr")]
    [InlineData("<script>", "fr,en", null, "en")]
    [InlineData("x", "nl", null, "nl")]
    public void TheBestAvailableLocaleIsPicked(string? requested, string available, string? tenantDefault, string expected)
    {
        Assert.Equal(expected, LocaleFallback.Resolve(requested, available.Split(','), tenantDefault));
    }

    [Fact]
    public void NothingAvailableGivesNull()
    {
        Assert.Null(LocaleFallback.Resolve("en", [], "en"));
    }

    [Theory]
    [InlineData("en", true)]
    [InlineData("de-DE", true)]
    [InlineData("zh-Hant-TW", true)]
    [InlineData("gsw", true)]
    [InlineData("sl-rozaj-biske", true)]
    [InlineData("e", false)]
    [InlineData("engl", false)]
    [InlineData("de_DE", false)]
    [InlineData("de-", false)]
    [InlineData("de-D", false)]
    [InlineData("de-toolongsubtag", false)]
    [InlineData("en-US-abcdefgh-abcdefgh-abcdefgh-ab", true)]
    [InlineData("en-US-abcdefgh-abcdefgh-abcdefgh-abc", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("de DE", false)]
    public void LocalesAreCheckedLikeBcp47Tags(string? locale, bool valid)
    {
        Assert.Equal(valid, LocaleFallback.IsValidLocale(locale));
    }
}
