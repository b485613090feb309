namespace RetentionPlatform.Profiles;

/// <summary>The answer to "may we contact this person now, this way, for this purpose?".</summary>
public enum ContactOutcome
{
    Allow = 0,

    /// <summary>Not now: ask again at <see cref="ContactDecision.DeferUntil"/>.</summary>
    Defer = 1,

    /// <summary>Not at all in the current context: do not send, do not retry.</summary>
    Deny = 2,
}
