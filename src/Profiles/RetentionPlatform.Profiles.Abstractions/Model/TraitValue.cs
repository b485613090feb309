namespace RetentionPlatform.Profiles;

/// <summary>One typed trait: exactly one of text, number or flag is set.</summary>
[GenerateSerializer]
[Alias("retention.profiles.TraitValue.v1")]
[System.Text.Json.Serialization.JsonConverter(typeof(TraitValueJsonConverter))]
public sealed record TraitValue(
    [property: Id(0)] string? Text = null,
    [property: Id(1)] double? Number = null,
    [property: Id(2)] bool? Flag = null)
{
    public override string ToString() =>
        Text ?? Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? (Flag == true ? "true" : "false");
}
