namespace RetentionPlatform.Notifications.Templates;

/// <summary>
/// A template could not be rendered: it is invalid (see <see cref="Problems"/>), or rendering failed at run time
/// (a helper threw, a partial does not exist). The message names the template and the part.
/// </summary>
public sealed class TemplateRenderException : Exception
{
    public TemplateRenderException()
    {
    }

    public TemplateRenderException(string message)
        : base(message)
    {
    }

    public TemplateRenderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TemplateRenderException(string message, string templateId, string? field, IReadOnlyList<TemplateProblem>? problems = null, Exception? innerException = null)
        : base(message, innerException)
    {
        TemplateId = templateId;
        Field = field;
        Problems = problems ?? [];
    }

    /// <summary>The template that failed; null when not known.</summary>
    public string? TemplateId { get; }

    /// <summary>The part that failed ("subject", "html" or "text"); null when the whole template is invalid.</summary>
    public string? Field { get; }

    /// <summary>What <see cref="TemplateRenderer.Validate"/> reports for the template; empty for a run-time failure.</summary>
    public IReadOnlyList<TemplateProblem> Problems { get; } = [];
}
