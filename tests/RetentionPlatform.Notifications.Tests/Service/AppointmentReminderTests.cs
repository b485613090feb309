using System.Globalization;
using System.Net;

namespace RetentionPlatform.Notifications.Tests.Service;

/// <summary>
/// An appointment booked through Scheduling comes back as a reminder email: the reminder's due event crosses Kafka,
/// becomes a transactional message, and the email carries the link that cancels the appointment.
/// </summary>
[Collection(PlatformGroup.Name)]
public sealed class AppointmentReminderTests(NotificationsPlatformFixture fixture)
{
    private static readonly string[] Days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    private readonly PlatformApi _demo = fixture.Demo;

    [Fact]
    public async Task ADueAppointmentReminderArrivesByEmailWithACancelLink()
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var customer = $"appt-{id}";
        await _demo.IdentifyAsync(customer, $"{customer}@example.com");
        await _demo.ExpectAsync(HttpMethod.Put, $"/v1/scheduling/locations/loc-{id}", """{"name":"Front","timeZone":"UTC"}""", HttpStatusCode.Created);
        var everyDay = string.Join(",", Days.Select(day => $$"""
                "{{day}}":[{"start":"00:00","end":"24:00"}]
                """));
        await _demo.ExpectAsync(HttpMethod.Put, $"/v1/scheduling/resources/res-{id}",
            $$$"""{"name":"Chair","locationId":"loc-{{{id}}}","workingHours":{{{{everyDay}}}}}""", HttpStatusCode.Created);

        // The next 5-minute slot at least three minutes away; its reminder falls due a few seconds from now.
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute / 5 * 5, 0, TimeSpan.Zero).AddMinutes(5);
        while (start - now < TimeSpan.FromMinutes(3))
        {
            start = start.AddMinutes(5);
        }

        var offsetSeconds = (int)(start - now).TotalSeconds - 8;
        var offset = string.Create(CultureInfo.InvariantCulture, $"PT{offsetSeconds}S");
        await _demo.ExpectAsync(HttpMethod.Put, $"/v1/scheduling/services/svc-{id}",
            $$"""{"name":"Cut","duration":"PT30M","resourceIds":["res-{{id}}"],"minimumNotice":"PT0S","slotStep":"PT5M","reminderOffsets":["{{offset}}"]}""",
            HttpStatusCode.Created);
        var booked = await _demo.ExpectAsync(HttpMethod.Post, "/v1/scheduling/bookings",
            $$"""{"serviceId":"svc-{{id}}","customerId":"{{customer}}","startsAt":"{{start:yyyy-MM-ddTHH:mm:ssZ}}"}""", HttpStatusCode.Created);
        Assert.False(string.IsNullOrEmpty(booked.GetProperty("bookingId").GetString()));

        var mail = Assert.Single(await fixture.Smtp.WaitForMailsAsync(m => ReceivedMail.To(m) == $"{customer}@example.com", 1, TimeSpan.FromSeconds(90)));
        Assert.Contains("/m/x/", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("/m/x/", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("/m/h/", mail.TextBody, StringComparison.Ordinal);
    }
}
