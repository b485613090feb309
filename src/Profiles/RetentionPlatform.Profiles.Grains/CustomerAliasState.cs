namespace RetentionPlatform.Profiles;

/// <summary>The persisted state of a <see cref="CustomerAliasGrain"/>.</summary>
[GenerateSerializer]
[Alias("retention.profiles.CustomerAliasState.v1")]
public sealed class CustomerAliasState
{
    [Id(0)] public string? CustomerId { get; set; }
}
