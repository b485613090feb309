namespace RetentionPlatform.Notifications.Templates;

/// <summary>Why a template cannot be saved or rendered, in words for its author.</summary>
/// <param name="Field">The part at fault: "subject", "html" or "text".</param>
/// <param name="Message">What is wrong, for example a Handlebars syntax error with its position.</param>
public sealed record TemplateProblem(string Field, string Message);
