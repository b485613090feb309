namespace RetentionPlatform.Recommendations.Model;

/// <summary>
/// The rules every catalog item must meet, whichever way it arrives (REST, gRPC, an event). Each check returns
/// null when the value is fine, else a sentence saying what is wrong.
/// </summary>
public static class CatalogItemInput
{
    public const int MaxIdLength = 128;
    public const int MaxNameLength = 200;
    public const int MaxCategoryLength = 128;
    public const decimal MaxPrice = 1_000_000_000m;

    public static string? ValidateItemId(string? value) => ValidateText(value, "item id", MaxIdLength, required: true);

    public static string? ValidateName(string? value) => ValidateText(value, "name", MaxNameLength, required: false);

    public static string? ValidateCategory(string? value) => ValidateText(value, "category", MaxCategoryLength, required: true);

    public static string? ValidatePrice(decimal? value) =>
        value is null or (>= 0 and <= MaxPrice) ? null : $"The price must be between 0 and {MaxPrice:0}.";

    /// <summary>A price sent as a binary floating-point number (gRPC): finite, in range, kept to 4 decimals.</summary>
    public static (decimal? Price, string? Problem) PriceFrom(double? value)
    {
        if (value is null)
        {
            return (null, null);
        }

        if (!double.IsFinite(value.Value) || value.Value < 0 || value.Value > (double)MaxPrice)
        {
            return (null, $"The price must be between 0 and {MaxPrice:0}.");
        }

        return (Math.Round((decimal)value.Value, 4), null);
    }

    /// <summary>A price range filter: both ends optional, non-negative, and the low end not above the high end.</summary>
    public static string? ValidateRange(decimal? min, decimal? max) =>
        ValidatePrice(min) ?? ValidatePrice(max) ?? (min > max ? "The minimum price is above the maximum price." : null);

    private static string? ValidateText(string? value, string what, int maxLength, bool required)
    {
        if (value is null)
        {
            return required ? $"The {what} is required." : null;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            return $"The {what} must not be empty.";
        }

        if (value.Length > maxLength)
        {
            return $"The {what} must be at most {maxLength} characters.";
        }

        return value.Any(char.IsControl) ? $"The {what} must not contain control characters." : null;
    }
}
