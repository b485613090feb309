namespace RetentionPlatform.Scheduling.Infrastructure;

public enum InsertOutcome
{
    Inserted,
    SlotTaken,
    ClientKeyTaken,
}
