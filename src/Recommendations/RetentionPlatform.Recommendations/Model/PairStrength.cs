namespace RetentionPlatform.Recommendations.Model;

/// <summary>How strongly two items occur together: in any interaction, and in purchases by the same customer.</summary>
internal struct PairStrength
{
    public float All;
    public float Bought;
}
