using HandlebarsDotNet;

namespace RetentionPlatform.Notifications.Templates;

/// <summary>The compiled parts of one template, or why it does not compile.</summary>
internal sealed class CompiledTemplate(
    HandlebarsTemplate<object, object>? subject,
    HandlebarsTemplate<object, object>? html,
    HandlebarsTemplate<object, object>? text,
    IReadOnlyList<TemplateProblem> problems)
{
    private long _lastUsed;

    public HandlebarsTemplate<object, object>? Subject { get; } = subject;

    public HandlebarsTemplate<object, object>? Html { get; } = html;

    public HandlebarsTemplate<object, object>? Text { get; } = text;

    public IReadOnlyList<TemplateProblem> Problems { get; } = problems;

    public long LastUsed => Volatile.Read(ref _lastUsed);

    public void Touch(long tick) => Volatile.Write(ref _lastUsed, tick);
}
