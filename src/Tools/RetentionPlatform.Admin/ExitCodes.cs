namespace RetentionPlatform.Admin;

/// <summary>rpadmin's process exit codes, which scripts rely on.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The gateway answered and refused (any non-2xx answer); its ProblemDetails went to stderr.</summary>
    public const int Refused = 1;

    /// <summary>Bad arguments or a missing operator key: nothing was sent.</summary>
    public const int Usage = 2;

    /// <summary>The gateway could not be reached (connection refused, DNS, timeout).</summary>
    public const int Unreachable = 3;
}
