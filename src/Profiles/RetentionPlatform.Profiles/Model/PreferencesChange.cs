namespace RetentionPlatform.Profiles.Model;

/// <summary>A requested change of contact preferences; null means "not given" (leave as it is).</summary>
/// <param name="QuietHoursStart">"HH:mm", given together with <paramref name="QuietHoursEnd"/>.</param>
/// <param name="QuietHoursEnd">"HH:mm".</param>
/// <param name="PreferredChannel">A channel name (email, sms, push, webhook).</param>
/// <param name="PausedUntil">Pause service and marketing messages until then.</param>
/// <param name="ClearPausedUntil">End a pause.</param>
/// <param name="TimeZone">An IANA time zone.</param>
/// <param name="Locale">A BCP 47 locale.</param>
internal sealed record PreferencesChange(
    string? QuietHoursStart,
    string? QuietHoursEnd,
    string? PreferredChannel,
    DateTimeOffset? PausedUntil,
    bool ClearPausedUntil,
    string? TimeZone,
    string? Locale);
