namespace RetentionPlatform.Profiles.Segments;

/// <summary>A field's value in one profile, or its absence.</summary>
public readonly record struct SegmentValue(SegmentValueKind Kind, bool Exists, double Number, string? Text, bool Flag, DateTimeOffset Time)
{
    public static SegmentValue Of(double number) => new(SegmentValueKind.Number, true, number, null, false, default);

    public static SegmentValue Of(string? text) => new(SegmentValueKind.Text, text is not null, 0, text, false, default);

    public static SegmentValue Of(bool flag) => new(SegmentValueKind.Flag, true, 0, null, flag, default);

    public static SegmentValue Of(DateTimeOffset? time) => new(SegmentValueKind.Time, time is not null, 0, null, false, time ?? default);

    public static SegmentValue Missing(SegmentValueKind kind) => new(kind, false, 0, null, false, default);
}
