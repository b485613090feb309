using System.Net;
using System.Net.Http.Headers;

namespace RetentionPlatform.Gateway.Tests;

/// <summary>
/// The public link pages' rate limit is per client address and spends no tenant's budget: past its burst a client gets
/// 429 with Retry-After (never reaching the service), whatever key it sends, while a partner's keyed calls go on.
/// Its own gateway with a small burst, so the budget it uses up is no other test's.
/// </summary>
public sealed class PublicLinksRateLimitTests(TightLinkLimitGatewayFixture fixture) : IClassFixture<TightLinkLimitGatewayFixture>
{
    [Fact]
    public async Task LinkPagesPastTheBurstFromOneAddressGet429WhileTheTenantsKeyedCallsGoOn()
    {
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        // The bucket refills at one a second: a few more than the burst are enough however slow the loop is.
        for (var i = 0; i < fixture.PublicLinksBurst * 4 && refused is null; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/m/o/tok-{i}.gif");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", NotificationsGatewayFixture.TenantBKey);
            var response = await fixture.Http.SendAsync(request);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.NotNull(refused);
        using (refused)
        {
            Assert.True(statuses.Count(s => s == HttpStatusCode.OK) >= fixture.PublicLinksBurst - 1, string.Join(", ", statuses));
            Assert.True(refused.Headers.RetryAfter is not null, "429 without Retry-After.");
            Assert.False(refused.Headers.Contains(NotificationsGatewayFixture.ReachedHeader));
            Assert.DoesNotContain("tenant", await refused.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }

        using var keyed = new HttpRequestMessage(HttpMethod.Get, "/v1/notifications/settings");
        keyed.Headers.Authorization = new AuthenticationHeaderValue("Bearer", NotificationsGatewayFixture.TenantBKey);
        using var partner = await fixture.Http.SendAsync(keyed);
        Assert.Equal(HttpStatusCode.OK, partner.StatusCode);
        Assert.Equal("tenant-b", partner.Headers.GetValues(NotificationsGatewayFixture.TenantHeader).Single());
    }
}
