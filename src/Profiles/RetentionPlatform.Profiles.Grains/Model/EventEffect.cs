namespace RetentionPlatform.Profiles.Model;

/// <summary>What an applied event asks of the grain beyond changing the profile.</summary>
internal enum EventEffect
{
    None,
    AliasesChanged,
    HumanRequested,
    HumanResolved,
    Erase,
}
