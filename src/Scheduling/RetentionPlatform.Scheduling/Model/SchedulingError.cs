namespace RetentionPlatform.Scheduling.Model;

/// <summary>What went wrong with a scheduling request, in words a caller can act on.</summary>
/// <param name="Kind">Decides the HTTP status and the gRPC status code.</param>
/// <param name="Field">The request field at fault, if one is.</param>
/// <param name="Title">A short summary.</param>
/// <param name="Detail">What to do about it.</param>
public sealed record SchedulingError(SchedulingErrorKind Kind, string? Field, string Title, string Detail)
{
    public static SchedulingError Invalid(string field, string detail) => new(SchedulingErrorKind.Invalid, field, "The request is invalid", detail);

    public static SchedulingError NotFound(string title, string detail) => new(SchedulingErrorKind.NotFound, null, title, detail);
}
