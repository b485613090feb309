namespace RetentionPlatform.Profiles;

/// <summary>The persisted state of a <see cref="TenantGrain"/>.</summary>
[GenerateSerializer]
[Alias("retention.profiles.TenantGrainState.v1")]
public sealed class TenantGrainState
{
    [Id(0)] public TenantConfiguration Configuration { get; set; } = TenantConfiguration.Default;
}
