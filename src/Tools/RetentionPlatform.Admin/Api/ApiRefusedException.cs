namespace RetentionPlatform.Admin.Api;

/// <summary>The gateway answered, and not with success.</summary>
internal sealed class ApiRefusedException(ApiProblem problem) : Exception(problem.Title)
{
    public ApiProblem Problem { get; } = problem;
}
