namespace RetentionPlatform.Profiles.Segments;

/// <summary>Condition operators and the field kinds they apply to.</summary>
public static class SegmentOperators
{
    public const string Eq = "eq";
    public const string Neq = "neq";
    public const string Gt = "gt";
    public const string Gte = "gte";
    public const string Lt = "lt";
    public const string Lte = "lte";
    public const string Exists = "exists";
    public const string NotExists = "notExists";
    public const string OlderThan = "olderThan";
    public const string Within = "within";

    private static readonly string[] NumberOperators = [Eq, Neq, Gt, Gte, Lt, Lte, Exists, NotExists];
    private static readonly string[] TextOperators = [Eq, Neq, Exists, NotExists];
    private static readonly string[] TimeOperators = [OlderThan, Within, Exists, NotExists];

    public static IReadOnlyList<string> For(SegmentValueKind kind) => kind switch
    {
        SegmentValueKind.Number or SegmentValueKind.Any => NumberOperators,
        SegmentValueKind.Time => TimeOperators,
        _ => TextOperators,
    };
}
