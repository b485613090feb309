namespace RetentionPlatform.Scheduling.Infrastructure;

/// <summary>The parts of a schedule that are removed as tombstones.</summary>
public enum ScheduleEntity
{
    Resource,
    Service,
}
