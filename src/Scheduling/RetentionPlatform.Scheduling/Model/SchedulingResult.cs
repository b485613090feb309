namespace RetentionPlatform.Scheduling.Model;

/// <summary>A value, or why there is none. <see cref="Created"/> says a new thing was made (201), <see cref="Replayed"/> that an earlier answer was repeated.</summary>
public sealed record SchedulingResult<T>(T? Value, SchedulingError? Error, bool Created = false, bool Replayed = false) where T : class
{
    public static implicit operator SchedulingResult<T>(SchedulingError error) => new(null, error);
}
