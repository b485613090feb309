using System.Net;
using System.Text.Json;
using MimeKit;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Notifications.Tests.Service;

/// <summary>
/// The send pipeline on the whole platform: the contact decision of Profiles over gRPC, delivery to a real SMTP
/// server, retries, idempotency, the links in the email, and erasure.
/// </summary>
[Collection(PlatformGroup.Name)]
public sealed class SendPipelineTests(NotificationsPlatformFixture fixture)
{
    private readonly PlatformApi _demo = fixture.Demo;

    [Fact]
    public async Task APopulationWithMixedContextGetsExactlyTheMessagesTheRulesAllow()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        string Customer(int i) => $"pop-{run}-{i}";
        string Email(int i) => $"pop-{run}-{i}@example.com";
        var customers = Enumerable.Range(0, 12).ToList();
        foreach (var i in customers)
        {
            await _demo.AddMarketableCustomerAsync(Customer(i), Email(i));
        }

        const int Withdrawn = 0, Quiet = 1, Complaint = 2, OverBudget = 3, Human = 4, NoAddress = 5;
        await _demo.SetConsentAsync(Customer(Withdrawn), granted: false);

        var now = DateTimeOffset.UtcNow;
        await _demo.ExpectAsync(HttpMethod.Patch, $"/v1/customers/{Customer(Quiet)}/preferences",
            $$"""{"timeZone":"UTC","quietHoursStart":"{{now.AddHours(-1):HH:mm}}","quietHoursEnd":"{{now.AddHours(3):HH:mm}}"}""", HttpStatusCode.OK);

        var caseId = $"case-{run}";
        await _demo.ExpectAsync(HttpMethod.Post, "/v1/events",
            $$$"""{"eventId":"ev-{{{run}}}","type":"support_case_opened","customerId":"{{{Customer(Complaint)}}}","occurredAt":"{{{now.AddMinutes(-1):yyyy-MM-ddTHH:mm:ssZ}}}","properties":{"caseId":"{{{caseId}}}","complaint":true}}""",
            HttpStatusCode.Accepted, HttpStatusCode.OK, HttpStatusCode.Created);
        await Eventually.GetAsync(() => _demo.SendAsync(HttpMethod.Get, $"/v1/customers/{Customer(Complaint)}"),
            r => r.Body.ToString().Contains(caseId, StringComparison.Ordinal), "the complaint to reach the profile");

        await _demo.ExpectAsync(HttpMethod.Post, $"/v1/customers/{Customer(Human)}/human-requests", """{"reason":"Please call me"}""", HttpStatusCode.Created);

        // No-address customer: a profile and consent, but never an email address.
        await _demo.IdentifyAsync($"pop-{run}-noaddr", email: null);
        await _demo.SetConsentAsync($"pop-{run}-noaddr", granted: true);

        // The budget is one marketing message a week: spend it with an earlier, allowed one.
        var earlier = await _demo.SubmitAsync(Customer(OverBudget), "promo", "marketing");
        Assert.Equal("sent", PlatformApi.Status(await _demo.WaitSettledAsync(earlier)));

        var sent = new Dictionary<int, Guid>();
        foreach (var i in customers)
        {
            sent[i] = await _demo.SubmitAsync(i == NoAddress ? $"pop-{run}-noaddr" : Customer(i), "promo", "marketing");
        }

        var settled = new Dictionary<int, JsonElement>();
        foreach (var (i, id) in sent)
        {
            settled[i] = await _demo.WaitSettledAsync(id);
        }

        var expected = new Dictionary<int, (string Status, string? Reason)>
        {
            [Withdrawn] = ("denied", "consent_withdrawn"),
            [Quiet] = ("deferred", "quiet_hours"),
            [Complaint] = ("denied", "open_support_case"),
            [OverBudget] = ("deferred", "budget_exhausted"),
            [Human] = ("denied", "human_owner"),
            [NoAddress] = ("denied", "no_address"),
        };
        foreach (var i in customers)
        {
            var (status, reason) = expected.TryGetValue(i, out var e) ? e : ("sent", null);
            var message = settled[i];
            Assert.True(PlatformApi.Status(message) == status && (reason is null || PlatformApi.Reason(message) == reason),
                $"customer {i}: expected {status}/{reason}, got {message}");
        }

        var allowed = customers.Where(i => !expected.ContainsKey(i)).Select(i => sent[i]).Append(earlier).ToHashSet();
        var mails = await WaitForMailsAsync(m => ReceivedMail.To(m).StartsWith($"pop-{run}-", StringComparison.Ordinal), allowed.Count);
        Assert.Equal(allowed.OrderBy(id => id), mails.Select(m => ReceivedMail.MessageIdOf(m) ?? Guid.Empty).OrderBy(id => id));
        var allowedAddresses = customers.Where(i => !expected.ContainsKey(i)).Select(Email).Append(Email(OverBudget)).Order();
        Assert.Equal(allowedAddresses, mails.Select(ReceivedMail.To).Order());
        foreach (var mail in mails)
        {
            Assert.StartsWith("<http", mail.Headers["List-Unsubscribe"], StringComparison.Ordinal);
            Assert.Contains("/m/u/", mail.Headers["List-Unsubscribe"], StringComparison.Ordinal);
            Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
            Assert.NotNull(mail.TextBody);
            Assert.NotNull(mail.HtmlBody);
            foreach (var body in new[] { mail.TextBody, mail.HtmlBody })
            {
                Assert.Contains("/m/h/", body, StringComparison.Ordinal);
                Assert.Contains("/m/u/", body, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task RetriesAfterAnSmtpOutageDeliverEachMessageExactlyOnce()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var ids = new List<Guid>();
        var port = fixture.Smtp.Port;
        for (var i = 0; i < 5; i++)
        {
            await _demo.IdentifyAsync($"out-{run}-{i}", $"out-{run}-{i}@example.com");
        }

        await fixture.Smtp.StopAsync();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                ids.Add(await _demo.SubmitAsync($"out-{run}-{i}", "receipt", "transactional"));
            }

            foreach (var id in ids)
            {
                var retrying = await Eventually.GetAsync(() => _demo.GetMessageAsync(id),
                    m => PlatformApi.Status(m) == "queued" && m.GetProperty("attempts").GetInt32() >= 1, $"message {id} to fail its first attempt");
                Assert.Equal("transient_failure", PlatformApi.Reason(retrying));
            }
        }
        finally
        {
            await fixture.Smtp.StartAsync();
        }

        Assert.Equal(port, fixture.Smtp.Port);
        foreach (var id in ids)
        {
            var message = await _demo.WaitStatusAsync(id, "sent");
            var log = message.GetProperty("log").EnumerateArray().Select(l => l.GetProperty("eventType").GetString()).ToList();
            var retried = log.IndexOf("message_retrying");
            Assert.True(retried >= 0 && log.IndexOf("message_sent") > retried && log.Count(e => e == "message_sent") == 1, $"log of {id}: {string.Join(", ", log)}");
        }

        var mails = await WaitForMailsAsync(m => ReceivedMail.To(m).StartsWith($"out-{run}-", StringComparison.Ordinal), 5);
        Assert.Equal(5, mails.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(ids.Order(), mails.Select(m => ReceivedMail.MessageIdOf(m) ?? Guid.Empty).Order());
    }

    [Fact]
    public async Task TheSameIdempotencyKeyReturnsTheSameMessageAndSendsOneEmail()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        await _demo.IdentifyAsync($"idem-{run}-a", $"idem-{run}-a@example.com");
        await _demo.IdentifyAsync($"idem-{run}-b", $"idem-{run}-b@example.com");
        var key = $"order-{run}";

        var (first, firstBody) = await _demo.PostMessageAsync($"idem-{run}-a", "receipt", "transactional", key);
        var (second, secondBody) = await _demo.PostMessageAsync($"idem-{run}-a", "receipt", "transactional", key);
        Assert.Equal(HttpStatusCode.Accepted, first);
        Assert.Equal(HttpStatusCode.OK, second);
        var id = firstBody.GetProperty("messageId").GetGuid();
        Assert.Equal(id, secondBody.GetProperty("messageId").GetGuid());

        var (other, otherBody) = await _demo.PostMessageAsync($"idem-{run}-b", "receipt", "transactional", key);
        Assert.True(other == HttpStatusCode.Conflict, $"{(int)other} {otherBody}");

        await _demo.WaitStatusAsync(id, "sent");
        var mails = await WaitForMailsAsync(m => ReceivedMail.To(m).StartsWith($"idem-{run}-", StringComparison.Ordinal), 1);
        Assert.Equal($"idem-{run}-a@example.com", ReceivedMail.To(Assert.Single(mails)));
    }

    [Fact]
    public async Task FollowingTheUnsubscribeLinkWithdrawsMarketingConsent()
    {
        var customer = $"unsub-{Guid.NewGuid():N}"[..20];
        await _demo.AddMarketableCustomerAsync(customer, $"{customer}@example.com");
        var first = await _demo.SubmitAsync(customer, "promo", "marketing");
        await _demo.WaitStatusAsync(first, "sent");
        var mail = Assert.Single(await WaitForMailsAsync(m => ReceivedMail.To(m) == $"{customer}@example.com", 1));

        var status = await _demo.PostFormAsync(ReceivedMail.LinkOf(mail, 'u'), new KeyValuePair<string, string>("List-Unsubscribe", "One-Click"));
        Assert.Equal(HttpStatusCode.OK, status);

        await Eventually.GetAsync(() => _demo.SendAsync(HttpMethod.Get, $"/v1/customers/{customer}"),
            r => r.Body.ToString().Contains("\"granted\":false", StringComparison.Ordinal), "the withdrawal to reach the profile");
        var later = await _demo.WaitSettledAsync(await _demo.SubmitAsync(customer, "promo", "marketing"));
        Assert.Equal(("denied", "consent_withdrawn"), (PlatformApi.Status(later), PlatformApi.Reason(later)));
    }

    [Fact]
    public async Task FollowingTheHumanLinkHandsTheCustomerToAPerson()
    {
        var customer = $"human-{Guid.NewGuid():N}"[..20];
        await _demo.AddMarketableCustomerAsync(customer, $"{customer}@example.com");
        var first = await _demo.SubmitAsync(customer, "promo", "marketing");
        await _demo.WaitStatusAsync(first, "sent");
        var mail = Assert.Single(await WaitForMailsAsync(m => ReceivedMail.To(m) == $"{customer}@example.com", 1));

        var status = await _demo.PostFormAsync(ReceivedMail.LinkOf(mail, 'h'), new KeyValuePair<string, string>("reason", "Please call me back"));
        Assert.Equal(HttpStatusCode.OK, status);

        await Eventually.GetAsync(() => _demo.SendAsync(HttpMethod.Get, $"/v1/customers/{customer}"),
            r => r.Body.ToString().Contains("humanOwner\":{", StringComparison.Ordinal), "the human request to reach the profile");
        var later = await _demo.WaitSettledAsync(await _demo.SubmitAsync(customer, "promo", "marketing"));
        Assert.Equal(("denied", "human_owner"), (PlatformApi.Status(later), PlatformApi.Reason(later)));
    }

    [Fact]
    public async Task ErasingACustomerAnonymisesTheirMessages()
    {
        var customer = $"erase-{Guid.NewGuid():N}"[..20];
        await _demo.IdentifyAsync(customer, $"{customer}@example.com");
        var id = await _demo.SubmitAsync(customer, "receipt", "transactional");
        await _demo.WaitStatusAsync(id, "sent");
        var before = await _demo.ExpectAsync(HttpMethod.Get, $"/v1/notifications/messages?customerId={customer}", null, HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(before.GetProperty("messages").EnumerateArray()).GetProperty("messageId").GetGuid());

        await _demo.ExpectAsync(HttpMethod.Delete, $"/v1/customers/{customer}", null, HttpStatusCode.NoContent);

        await Eventually.GetAsync(() => _demo.ExpectAsync(HttpMethod.Get, $"/v1/notifications/messages?customerId={customer}", null, HttpStatusCode.OK),
            list => list.GetProperty("messages").GetArrayLength() == 0, "the customer's messages to be erased");
        // The message itself stays for the tenant's counts, with nothing left that names the customer or what they were told.
        var erased = await _demo.GetMessageAsync(id);
        Assert.Equal("erased", erased.GetProperty("customerId").GetString());
        Assert.Equal(JsonValueKind.Null, erased.GetProperty("subject").ValueKind);
        Assert.Equal("sent", PlatformApi.Status(erased));
        Assert.DoesNotContain(customer, erased.ToString(), StringComparison.Ordinal);
    }

    private Task<List<MimeMessage>> WaitForMailsAsync(Func<MimeMessage, bool> which, int count) => fixture.Smtp.WaitForMailsAsync(which, count);
}
