namespace RetentionPlatform.Profiles;

/// <summary>
/// A grain state that knows when its grain must next wake up on its own. Grain storage writes the moment with
/// the state (one row, one write), and the silo's wake-up scanner calls <see cref="ICustomerGrain.RefreshAsync"/>
/// when it comes due, also after the grain was deactivated or its silo died.
/// </summary>
public interface IScheduledWake
{
    DateTimeOffset? WakeAt { get; }
}
