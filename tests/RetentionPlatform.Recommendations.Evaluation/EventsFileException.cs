namespace RetentionPlatform.Recommendations.Evaluation;

/// <summary>A line of an events file that is not a valid event; <see cref="LineNumber"/> says which (1-based).</summary>
public sealed class EventsFileException : Exception
{
    public EventsFileException()
    {
    }

    public EventsFileException(string message) : base(message)
    {
    }

    public EventsFileException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public EventsFileException(int lineNumber, string problem, Exception? innerException = null)
        : base($"Line {lineNumber} of the events file is not a valid event: {problem}", innerException)
    {
        LineNumber = lineNumber;
    }

    public int LineNumber { get; }
}
