namespace RetentionPlatform.Scheduling.Model;

public enum SchedulingErrorKind
{
    /// <summary>The request itself is wrong (HTTP 400, INVALID_ARGUMENT).</summary>
    Invalid,

    /// <summary>What it names does not exist (HTTP 404, NOT_FOUND).</summary>
    NotFound,

    /// <summary>Someone else got there first: the slot is taken, a client key was used for another request (HTTP 409, ABORTED).</summary>
    Conflict,

    /// <summary>Well formed, but the rules say no: outside working hours, past a cut-off, the wrong state (HTTP 422, FAILED_PRECONDITION).</summary>
    Refused,
}
