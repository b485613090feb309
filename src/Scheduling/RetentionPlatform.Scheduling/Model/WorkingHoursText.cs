namespace RetentionPlatform.Scheduling.Model;

/// <summary>One working interval as written by a caller: <c>{"start": "09:00", "end": "12:30"}</c>.</summary>
public sealed record WorkingHoursText(string? Start, string? End);
