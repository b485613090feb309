namespace RetentionPlatform.Profiles.Segments;

/// <summary>The kind of a segment field; traits are <see cref="Any"/> (their kind is the value's).</summary>
public enum SegmentValueKind
{
    Number,
    Text,
    Flag,
    Time,
    Any,
}
