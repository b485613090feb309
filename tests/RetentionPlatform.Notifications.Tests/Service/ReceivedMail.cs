using MimeKit;
using RetentionPlatform.Notifications.Tests.Smtp;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Notifications.Tests.Service;

/// <summary>Reads what the test SMTP server received: recipients, the platform's message id, the links in the body.</summary>
public static class ReceivedMail
{
    public static string To(MimeMessage mail) => string.Join(",", mail.To.Mailboxes.Select(m => m.Address.ToLowerInvariant()));

    public static Guid? MessageIdOf(MimeMessage mail) =>
        Guid.TryParse(mail.Headers["X-Retention-Message-Id"], out var id) ? id : null;

    /// <summary>The first link to <c>/m/{kind}/</c> in the text part.</summary>
    public static Uri LinkOf(MimeMessage mail, char kind)
    {
        var text = mail.TextBody ?? "";
        var marker = $"/m/{kind}/";
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"No {marker} link in: {text}");
        var start = text.LastIndexOf("http", at, StringComparison.Ordinal);
        var end = at;
        while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] is not ('>' or ')' or '"'))
        {
            end++;
        }

        return new Uri(text[start..end]);
    }

    /// <summary>The mails matching <paramref name="which"/> once there are at least <paramref name="count"/> of them.</summary>
    public static async Task<List<MimeMessage>> WaitForMailsAsync(this SmtpTestServer smtp, Func<MimeMessage, bool> which, int count, TimeSpan? timeout = null) =>
        await Eventually.GetAsync(() => Task.FromResult(smtp.ReadMessages().Where(which).ToList()),
            m => m.Count >= count, $"{count} emails", timeout ?? TimeSpan.FromSeconds(60));
}
