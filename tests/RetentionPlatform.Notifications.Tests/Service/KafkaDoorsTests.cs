using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RetentionPlatform.EventBus;
using RetentionPlatform.Standalone;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Notifications.Tests.Service;

/// <summary>
/// The Kafka doors of the pipeline on the whole platform: a request on <c>retention.notification-requests.v1</c>, and a
/// completed appointment on <c>retention.appointment-events.v1</c> whose feedback request's answer reaches the profile.
/// Events are published with the platform's own Kafka producer to the embedded broker.
/// </summary>
[Collection(PlatformGroup.Name)]
public sealed class KafkaDoorsTests(NotificationsPlatformFixture fixture)
{
    private readonly PlatformApi _demo = fixture.Demo;

    private IEventPublisher Publisher => fixture.Platform.Services["notifications"].Services.GetRequiredService<IEventPublisher>();

    [Fact]
    public async Task ARequestOnTheRequestsTopicIsSentOnceEvenWhenTheEventIsDeliveredTwice()
    {
        var customer = $"kafka-{Guid.NewGuid():N}"[..20];
        var email = $"{customer}@example.com";
        await _demo.IdentifyAsync(customer, email);
        await Eventually.GetAsync(() => _demo.SendAsync(HttpMethod.Get, $"/v1/customers/{customer}"), r => r.Status == HttpStatusCode.OK, "the profile");

        var payload = """{"templateId":"receipt","channels":["email"],"purpose":"transactional","kind":"journey:welcome","data":{"orderId":"o-77"}}""";
        var envelope = new EventEnvelope($"req-{customer}", "notification_requested", StandaloneOptions.DemoTenant, customer, DateTimeOffset.UtcNow, 1, Encoding.UTF8.GetBytes(payload));
        await Publisher.PublishAsync(EventTopics.NotificationRequests, envelope);
        await Publisher.PublishAsync(EventTopics.NotificationRequests, envelope);

        var mails = await fixture.Smtp.WaitForMailsAsync(m => ReceivedMail.To(m) == email, 1);
        var list = await Eventually.GetAsync(() => _demo.SendAsync(HttpMethod.Get, $"/v1/notifications/messages?customerId={customer}"),
            r => r.Body.GetProperty("messages").EnumerateArray().Any(m => PlatformApi.Status(m) == "sent"), "the message to be sent");

        var message = Assert.Single(list.Body.GetProperty("messages").EnumerateArray());
        Assert.Equal(("journey:welcome", "transactional"), (message.GetProperty("kind").GetString(), message.GetProperty("purpose").GetString()));
        Assert.Single(mails);
        Assert.Single(fixture.Smtp.ReadMessages(), m => ReceivedMail.To(m) == email);
    }

    [Fact]
    public async Task ACompletedAppointmentBringsAFeedbackRequestWhoseAnswerReachesTheProfile()
    {
        var customer = $"visit-{Guid.NewGuid():N}"[..20];
        var email = $"{customer}@example.com";
        await _demo.AddMarketableCustomerAsync(customer, email);
        await Eventually.GetAsync(() => _demo.SendAsync(HttpMethod.Get, $"/v1/customers/{customer}"), r => r.Status == HttpStatusCode.OK, "the profile");

        var appointment = $"bk-{Guid.NewGuid():N}";
        var completed = new EventEnvelope(
            $"{appointment}:completed", "appointment_completed", StandaloneOptions.DemoTenant, customer, DateTimeOffset.UtcNow, 1,
            Encoding.UTF8.GetBytes($$$"""{"properties":{"appointmentId":"{{{appointment}}}","status":"completed","serviceName":"Haircut"}}"""));
        await Publisher.PublishAsync(EventTopics.AppointmentEvents, completed);

        var mail = Assert.Single(await fixture.Smtp.WaitForMailsAsync(m => ReceivedMail.To(m) == email, 1));
        var feedback = ReceivedMail.LinkOf(mail, 'f');
        Assert.Equal(HttpStatusCode.OK, await _demo.PostFormAsync(feedback, new("score", "1"), new("comment", "The wait was far too long.")));

        // A score of 1 of 5 is negative feedback: the profile has it, and a promotion is held back because of it.
        await Eventually.GetAsync(() => _demo.SendAsync(HttpMethod.Get, $"/v1/customers/{customer}"),
            r => r.Body.TryGetProperty("support", out var support) && support.TryGetProperty("lastNegativeFeedbackAt", out var at) && at.ValueKind == System.Text.Json.JsonValueKind.String,
            "the feedback to reach the profile");
        var promotion = await _demo.WaitSettledAsync(await _demo.SubmitAsync(customer, "promo", "marketing"));
        Assert.Equal(("denied", "negative_feedback"), (PlatformApi.Status(promotion), PlatformApi.Reason(promotion)));
    }
}
