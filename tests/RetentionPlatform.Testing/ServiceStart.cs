namespace RetentionPlatform.Testing;

/// <summary>
/// How one attempt of <see cref="ServiceProcess"/> starts a process: its whole service environment, its arguments, and
/// how to tell it is ready (an HTTP health path answering 2xx, or a line in its output).
/// </summary>
/// <param name="Environment">Every service setting the process gets; nothing of the test runner's own settings is inherited.</param>
public sealed record ServiceStart(IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Command line arguments after the assembly path.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>An HTTP/1.1 address (for example <c>http://localhost:5000/health</c>) that answers 2xx once the process is ready.</summary>
    public Uri? HealthUrl { get; init; }

    /// <summary>Text of an output line that says the process is ready (used when there is no <see cref="HealthUrl"/>).</summary>
    public string? ReadyOutput { get; init; }
}
