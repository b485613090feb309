using System.Buffers;

namespace RetentionPlatform.Scheduling.Model;

/// <summary>The ids a business gives its locations, resources and services: 1-64 letters, digits and <c>._:-</c>.</summary>
public static class ScheduleIds
{
    public const int MaxLength = 64;

    private static readonly SearchValues<char> Allowed = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-");

    /// <summary>The problem with <paramref name="id"/>, or null when it is a valid id.</summary>
    public static string? Validate(string? id, string what) =>
        string.IsNullOrEmpty(id) ? $"A {what} id is required."
        : id.Length > MaxLength ? $"A {what} id has at most {MaxLength} characters."
        : id.AsSpan().ContainsAnyExcept(Allowed) ? $"A {what} id uses only letters, digits and . _ : -"
        : null;
}
