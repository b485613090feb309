namespace RetentionPlatform.Postgres;

/// <summary>The outcome of a finished command-line tool.</summary>
internal sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    internal bool Succeeded => ExitCode == 0;

    internal string Describe() =>
        $"'{CommandLine}' exited with code {ExitCode}.{Section("stderr", StandardError)}{Section("stdout", StandardOutput)}";

    private static string Section(string title, string text) =>
        string.IsNullOrWhiteSpace(text) ? string.Empty : $"{Environment.NewLine}{title}:{Environment.NewLine}{text.TrimEnd()}";
}
