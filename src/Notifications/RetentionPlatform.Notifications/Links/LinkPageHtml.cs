using System.Globalization;
using System.Text;
using RetentionPlatform.Notifications.Model;
using static System.Net.WebUtility;

namespace RetentionPlatform.Notifications.Links;

/// <summary>The customer-facing HTML of the link pages: small, self-contained, no scripts, every dynamic text encoded.</summary>
internal static class LinkPageHtml
{
    public const int MaxReasonLength = 500;
    public const int MaxCommentLength = 2000;

    public const string InvalidLinkText = "This link is not valid or has expired.";
    public const string UnavailableText = "Something went wrong on our side; please try again in a minute.";

    private const string Style =
        "body{margin:0;background:#f6f7f9;color:#1b1f24;font:1.0625rem/1.55 system-ui,-apple-system,\"Segoe UI\",Roboto,Helvetica,Arial,sans-serif}" +
        "main{max-width:34rem;margin:2.5rem auto;padding:1.5rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}" +
        "h1{font-size:1.5rem;line-height:1.3;margin:0 0 1rem}" +
        "p{margin:0 0 1rem}" +
        "label{display:block;margin:.35rem 0}" +
        "fieldset{border:0;margin:0 0 1rem;padding:0}" +
        "legend{font-weight:600;margin-bottom:.25rem;padding:0}" +
        "textarea{box-sizing:border-box;width:100%;min-height:6rem;margin:0 0 1rem;padding:.5rem;font:inherit;border:1px solid #8a939e;border-radius:.25rem}" +
        "button{font:inherit;font-weight:600;padding:.65rem 1.25rem;border:0;border-radius:.375rem;background:#1f4fd1;color:#fff;cursor:pointer}" +
        "button:hover{background:#183fa8}" +
        ":focus-visible{outline:3px solid #e2a400;outline-offset:2px}" +
        ".error{color:#a4161a;font-weight:600}" +
        ".hint{color:#4a535e;font-size:.9375rem}";

    public static string InvalidLink() =>
        Page("Link not valid", InvalidLinkText, "<p>If you need help, reply to the message or contact the business directly.</p>");

    public static string Unavailable() => Page("Please try again", "Something went wrong", $"<p>{UnavailableText}</p>");

    public static string BadRequest(string message) => Page("Request not understood", "This request could not be handled", Paragraph(message));

    public static string HumanForm(string token, string? reason, string? error)
    {
        var body = new StringBuilder()
            .Append("<p>Would you rather talk to someone? Send this request and a person from the business will get back to you. ")
            .Append("Until then, you won&#39;t receive automated marketing messages.</p>")
            .Append(ErrorParagraph(error))
            .Append(FormStart(token))
            .Append("<label for=\"reason\">What would you like to talk about? <span class=\"hint\">(optional, up to ")
            .Append(MaxReasonLength.ToString(CultureInfo.InvariantCulture))
            .Append(" characters)</span></label>")
            .Append(CultureInfo.InvariantCulture, $"<textarea id=\"reason\" name=\"reason\" maxlength=\"{MaxReasonLength}\" rows=\"4\"{Described(error)}>")
            .Append(HtmlEncode(reason ?? string.Empty))
            .Append("</textarea><button type=\"submit\">Ask for a person</button></form>");
        return Page("Talk to a person", "Talk to a person", body.ToString());
    }

    public static string HumanDone() => Page(
        "Request sent",
        "Thanks — a person from the business will get back to you.",
        "<p>Automated marketing messages are paused until then.</p>");

    public static string UnsubscribeForm(string token, LinkClaims claims) => Page(
        "Unsubscribe",
        "Unsubscribe?",
        Paragraph($"You will no longer receive {PurposeWords(claims.Purpose)} by {ChannelWords(claims.Channel)} from this business.")
            + FormStart(token) + "<button type=\"submit\">Unsubscribe</button></form>");

    public static string UnsubscribeDone(LinkClaims claims) => Page(
        "Unsubscribed",
        "You are unsubscribed.",
        Paragraph($"You will no longer receive {PurposeWords(claims.Purpose)} by {ChannelWords(claims.Channel)} from this business."));

    public static string ClickTargetInvalid() =>
        Page("Link cannot be opened", "This link cannot be opened.", "<p>The address it leads to is not a web page. Please contact the business directly.</p>");

    public static string FeedbackForm(string token, int? score, string? comment, string? error)
    {
        var body = new StringBuilder()
            .Append("<p>Thank you for your visit. How did we do?</p>")
            .Append(ErrorParagraph(error))
            .Append(FormStart(token))
            .Append(CultureInfo.InvariantCulture, $"<fieldset{Described(error)}><legend>Your rating (required)</legend>");
        string[] words = ["very poor", "poor", "okay", "good", "excellent"];
        for (var value = 1; value <= 5; value++)
        {
            body.Append(CultureInfo.InvariantCulture, $"<label><input type=\"radio\" name=\"score\" value=\"{value}\"")
                .Append(value == 1 ? " required" : string.Empty)
                .Append(value == score ? " checked" : string.Empty)
                .Append(CultureInfo.InvariantCulture, $"> {value} — {words[value - 1]}</label>");
        }

        body.Append("</fieldset>")
            .Append("<label for=\"comment\">Anything you would like to tell us? <span class=\"hint\">(optional, up to 2,000 characters)</span></label>")
            .Append(CultureInfo.InvariantCulture, $"<textarea id=\"comment\" name=\"comment\" maxlength=\"{MaxCommentLength}\" rows=\"5\">")
            .Append(HtmlEncode(comment ?? string.Empty))
            .Append("</textarea><button type=\"submit\">Send feedback</button></form>");
        return Page("Your feedback", "How was your visit?", body.ToString());
    }

    public static string FeedbackDone() => Page("Thank you", "Thank you for your feedback.", "<p>It helps the business serve you better.</p>");

    public static string CancelForm(string token) => Page(
        "Cancel your appointment",
        "Cancel your appointment?",
        "<p>If you cancel, your time slot is released for others to book.</p>"
            + FormStart(token) + "<button type=\"submit\">Cancel appointment</button></form>");

    public static string CancelDone() => Page("Appointment cancelled", "Your appointment is cancelled.", "<p>Thank you for letting us know.</p>");

    public static string CancelRefused(string reason) => Page("Appointment not cancelled", "Your appointment could not be cancelled", Paragraph(reason));

    private static string Page(string title, string heading, string bodyHtml) =>
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<meta name=\"robots\" content=\"noindex, nofollow\">"
        + $"<title>{HtmlEncode(title)}</title><style>{Style}</style></head>"
        + $"<body><main><h1>{HtmlEncode(heading)}</h1>{bodyHtml}</main></body></html>";

    private static string Paragraph(string text) => $"<p>{HtmlEncode(text)}</p>";

    private static string ErrorParagraph(string? error) =>
        error is null ? string.Empty : $"<p id=\"error\" class=\"error\" role=\"alert\">{HtmlEncode(error)}</p>";

    private static string Described(string? error) => error is null ? string.Empty : " aria-describedby=\"error\"";

    // The form posts back to its own URL: the last path segment is the token, so a relative action keeps any path prefix.
    private static string FormStart(string token) => $"<form method=\"post\" action=\"{HtmlEncode(token)}\">";

    private static string PurposeWords(NotificationPurpose purpose) => purpose switch
    {
        NotificationPurpose.Marketing => "offers and news",
        NotificationPurpose.Service => "service messages such as feedback requests",
        NotificationPurpose.Transactional => "booking messages such as confirmations and reminders",
        _ => "these messages",
    };

    private static string ChannelWords(NotificationChannel channel) => channel switch
    {
        NotificationChannel.Email => "email",
        NotificationChannel.Sms => "text message",
        NotificationChannel.Push => "push notification",
        _ => "this channel",
    };
}
