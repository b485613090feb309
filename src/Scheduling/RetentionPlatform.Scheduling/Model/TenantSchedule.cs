namespace RetentionPlatform.Scheduling.Model;

/// <summary>One tenant's whole schedule configuration at one version: an immutable snapshot, shared by readers.</summary>
public sealed class TenantSchedule(
    long version,
    IReadOnlyDictionary<string, Location> locations,
    IReadOnlyDictionary<string, Resource> resources,
    IReadOnlyDictionary<string, ServiceDefinition> services,
    IReadOnlyList<TimeOff> timeOff)
{
    public static TenantSchedule Empty { get; } = new(0, new Dictionary<string, Location>(), new Dictionary<string, Resource>(), new Dictionary<string, ServiceDefinition>(), []);

    public long Version => version;

    public IReadOnlyDictionary<string, Location> Locations => locations;

    public IReadOnlyDictionary<string, Resource> Resources => resources;

    public IReadOnlyDictionary<string, ServiceDefinition> Services => services;

    public ILookup<string, TimeOff> TimeOff { get; } = timeOff.ToLookup(t => t.ResourceId, StringComparer.Ordinal);

    /// <summary>The resources that can perform <paramref name="service"/> and still exist, in the service's order.</summary>
    public IReadOnlyList<Resource> ResourcesFor(ServiceDefinition service) =>
        [.. service.ResourceIds.Select(id => resources.GetValueOrDefault(id)).OfType<Resource>().Where(r => locations.ContainsKey(r.LocationId))];
}
