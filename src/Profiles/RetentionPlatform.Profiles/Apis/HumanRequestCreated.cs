namespace RetentionPlatform.Profiles.Apis;

/// <summary>The answer to a human request: the case a person now owns.</summary>
/// <param name="CaseId">Close it with a <c>support_case_closed</c> event carrying this <c>caseId</c>.</param>
internal sealed record HumanRequestCreated(string CaseId);
