namespace RetentionPlatform.Scheduling.Model;

/// <summary>Who asks for a change: the customer (self-service, bound by cut-offs) or the business (front desk, never bound).</summary>
public enum Actor
{
    Customer,
    Business,
}
