using System.Text.Json;

namespace RetentionPlatform.Profiles.Model;

/// <summary>
/// Turns validated API input into the events the customer grain applies (<c>traits_set</c>, <c>consent_given</c>,
/// <c>consent_withdrawn</c>, <c>preferences_set</c>, <c>identify</c>), each with a fresh <c>api-</c> event id.
/// Every method records what is wrong in <see cref="FieldErrors"/> and returns null instead of an event then.
/// </summary>
internal static class ProfileChanges
{
    /// <summary>The source recorded for consent given through the API without one.</summary>
    public const string DefaultConsentSource = "api";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Traits to set (a value) or remove (null). <paramref name="fieldOf"/> names a trait's field for errors.</summary>
    public static CustomerEventData? Traits(IReadOnlyCollection<KeyValuePair<string, TraitValue?>> traits, Func<string, string> fieldOf, string listField, FieldErrors errors, TimeProvider time)
    {
        if (traits.Count == 0 && errors.IsEmpty)
        {
            errors.Add(listField, "Set or remove at least one trait.");
        }
        else if (traits.Count > ApiValues.MaxTraits)
        {
            errors.Add(listField, $"At most {ApiValues.MaxTraits} traits per call.");
        }

        var properties = new Dictionary<string, TraitValue?>(StringComparer.Ordinal);
        foreach (var (name, value) in traits)
        {
            if (name.Length is 0 or > ApiValues.MaxTraitName || name.Any(char.IsControl))
            {
                errors.Add(fieldOf(name), $"A trait name must be 1-{ApiValues.MaxTraitName} characters without control characters.");
            }
            else if (value is { Text: { } text } && text.Length > ApiValues.MaxTraitText)
            {
                errors.Add(fieldOf(name), $"A text trait must be at most {ApiValues.MaxTraitText} characters.");
            }
            else if (value is { Number: { } number } && !double.IsFinite(number))
            {
                errors.Add(fieldOf(name), "A number trait must be finite.");
            }
            else if (value is not null && value.Text is null && value.Number is null && value.Flag is null)
            {
                errors.Add(fieldOf(name), "A trait must be a string, a number or true/false (null removes it).");
            }

            properties[name] = value;
        }

        return errors.IsEmpty ? Event("traits_set", properties, time) : null;
    }

    /// <summary>Consent given or withdrawn for one channel and purpose.</summary>
    public static CustomerEventData? Consent(string? channel, string? purpose, bool? granted, string? source, FieldErrors errors, TimeProvider time)
    {
        var channelName = ChannelName(channel, "channel", required: true, errors);
        var purposeName = PurposeName(purpose, "purpose", required: true, errors);
        if (granted is null)
        {
            errors.Add("granted", "Say whether consent is granted (true) or withdrawn (false).");
        }

        if (!string.IsNullOrEmpty(source) && ApiValues.TextProblem(source, ApiValues.MaxSource) is { } problem)
        {
            errors.Add("source", problem);
        }

        return errors.IsEmpty
            ? Event(granted == true ? "consent_given" : "consent_withdrawn", new { channel = channelName, purpose = purposeName, source = string.IsNullOrWhiteSpace(source) ? DefaultConsentSource : source.Trim() }, time)
            : null;
    }

    /// <summary>Contact preferences; only what is given changes.</summary>
    public static CustomerEventData? Preferences(PreferencesChange change, FieldErrors errors, TimeProvider time)
    {
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (change.QuietHoursStart is not null || change.QuietHoursEnd is not null)
        {
            QuietHour(change.QuietHoursStart, "quietHoursStart", properties, errors);
            QuietHour(change.QuietHoursEnd, "quietHoursEnd", properties, errors);
        }

        if (change.PreferredChannel is not null && ChannelName(change.PreferredChannel, "preferredChannel", required: false, errors) is { } channel)
        {
            properties["preferredChannel"] = channel;
        }

        if (change.PausedUntil is { } pausedUntil)
        {
            if (change.ClearPausedUntil)
            {
                errors.Add("clearPausedUntil", "Either pause until a time or clear the pause, not both.");
            }

            properties["pausedUntil"] = pausedUntil.ToUniversalTime();
        }
        else if (change.ClearPausedUntil)
        {
            // The grain reads a null property as absent; an empty time clears the pause.
            properties["pausedUntil"] = "";
        }

        ZoneAndLocale(change.TimeZone, change.Locale, properties, errors);
        if (properties.Count == 0 && errors.IsEmpty)
        {
            errors.Add("body", "Change at least one of quietHoursStart/quietHoursEnd, preferredChannel, pausedUntil, timeZone, locale.");
        }

        return errors.IsEmpty ? Event("preferences_set", properties, time) : null;
    }

    /// <summary>Who the customer is; only what is given changes.</summary>
    public static CustomerEventData? Identify(IdentityChange change, FieldErrors errors, TimeProvider time)
    {
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (change.Email is { } email)
        {
            if (ApiValues.IsEmail(email.Trim()))
            {
                properties["email"] = email.Trim();
            }
            else
            {
                errors.Add("email", $"The email must look like name@domain (at most {ApiValues.MaxEmail} characters).");
            }
        }

        if (change.Phone is { } phone)
        {
            if (ApiValues.IsPhone(phone.Trim()))
            {
                properties["phone"] = phone.Trim();
            }
            else
            {
                errors.Add("phone", $"The phone must be 3-20 digits with an optional leading '+' and spaces, dots, dashes or brackets (at most {ApiValues.MaxPhone} characters).");
            }
        }

        PersonName(change.FirstName, "firstName", properties, errors);
        PersonName(change.LastName, "lastName", properties, errors);
        if (change.ExternalIds is { Count: > 0 } externalIds)
        {
            if (externalIds.Count > ApiValues.MaxExternalIds)
            {
                errors.Add("externalIds", $"At most {ApiValues.MaxExternalIds} external ids.");
            }

            foreach (var (system, id) in externalIds)
            {
                if (system.Length is 0 or > ApiValues.MaxExternalSystem || system.Any(char.IsControl))
                {
                    errors.Add($"externalIds[{system}]", $"A system name must be 1-{ApiValues.MaxExternalSystem} characters.");
                }
                else if (id.Length is 0 or > ApiValues.MaxExternalId || id.Any(char.IsControl))
                {
                    errors.Add($"externalIds[{system}]", $"An external id must be 1-{ApiValues.MaxExternalId} characters.");
                }
            }

            properties["externalIds"] = externalIds;
        }

        ZoneAndLocale(change.TimeZone, change.Locale, properties, errors);
        if (properties.Count == 0 && errors.IsEmpty)
        {
            errors.Add("body", "Give at least one of email, phone, firstName, lastName, externalIds, timeZone, locale.");
        }

        return errors.IsEmpty ? Event("identify", properties, time) : null;
    }

    /// <summary>A contact decision request.</summary>
    public static ContactRequest? ContactRequest(string? channel, string? purpose, string? kind, string? messageId, FieldErrors errors)
    {
        var parsedChannel = ContactNames.TryParseChannel(channel, out var c) ? c : (ContactChannel?)null;
        var parsedPurpose = ContactNames.TryParsePurpose(purpose, out var p) ? p : (ContactPurpose?)null;
        ChannelName(channel, "channel", required: true, errors);
        PurposeName(purpose, "purpose", required: true, errors);
        if (string.IsNullOrWhiteSpace(kind))
        {
            errors.Add("kind", "Say who asks: a journey, campaign or template name, for example 'journey:win-back'.");
        }
        else if (ApiValues.TextProblem(kind, ApiValues.MaxKind) is { } problem)
        {
            errors.Add("kind", problem);
        }

        if (!string.IsNullOrEmpty(messageId) && ApiValues.TextProblem(messageId, ApiValues.MaxMessageId) is { } messageProblem)
        {
            errors.Add("messageId", messageProblem);
        }

        return errors.IsEmpty && parsedChannel is { } channelValue && parsedPurpose is { } purposeValue
            ? new ContactRequest(channelValue, purposeValue, kind!.Trim(), string.IsNullOrEmpty(messageId) ? null : messageId)
            : null;
    }

    /// <summary>The reason a customer gave for asking for a person (optional).</summary>
    public static string? HumanReason(string? reason, FieldErrors errors)
    {
        if (reason is not null && ApiValues.TextProblem(reason, ApiValues.MaxReason, required: false) is { } problem)
        {
            errors.Add("reason", problem);
        }

        return reason?.Trim() ?? "";
    }

    private static CustomerEventData Event(string type, object properties, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return new CustomerEventData($"api-{Guid.CreateVersion7(now):N}", type, now, JsonSerializer.Serialize(properties, Json));
    }

    private static string? ChannelName(string? channel, string field, bool required, FieldErrors errors)
    {
        if (ContactNames.TryParseChannel(channel, out var parsed))
        {
            return ContactNames.Of(parsed);
        }

        if (required || !string.IsNullOrEmpty(channel))
        {
            errors.Add(field, string.IsNullOrEmpty(channel)
                ? "The channel is required: email, sms, push or webhook."
                : $"'{channel}' is not a channel: email, sms, push or webhook.");
        }

        return null;
    }

    private static string? PurposeName(string? purpose, string field, bool required, FieldErrors errors)
    {
        if (ContactNames.TryParsePurpose(purpose, out var parsed))
        {
            return ContactNames.Of(parsed);
        }

        if (required || !string.IsNullOrEmpty(purpose))
        {
            errors.Add(field, string.IsNullOrEmpty(purpose)
                ? "The purpose is required: transactional, service or marketing."
                : $"'{purpose}' is not a purpose: transactional, service or marketing.");
        }

        return null;
    }

    private static void QuietHour(string? value, string field, Dictionary<string, object?> properties, FieldErrors errors)
    {
        if (value is null)
        {
            errors.Add(field, "Set quietHoursStart and quietHoursEnd together.");
        }
        else if (ApiValues.MinuteOfDay(value) is null)
        {
            errors.Add(field, $"'{value}' is not a time of day as HH:mm (00:00-23:59).");
        }
        else
        {
            properties[field] = value;
        }
    }

    private static void ZoneAndLocale(string? timeZone, string? locale, Dictionary<string, object?> properties, FieldErrors errors)
    {
        if (timeZone is not null)
        {
            if (ApiValues.IsTimeZone(timeZone))
            {
                properties["timeZone"] = timeZone;
            }
            else
            {
                errors.Add("timeZone", $"'{timeZone}' is not an IANA time zone such as Europe/Berlin or America/New_York.");
            }
        }

        if (locale is not null)
        {
            if (ApiValues.IsLocale(locale))
            {
                properties["locale"] = locale;
            }
            else
            {
                errors.Add("locale", $"'{locale}' is not a BCP 47 locale such as de-DE (at most {ApiValues.MaxLocale} characters).");
            }
        }
    }

    private static void PersonName(string? value, string field, Dictionary<string, object?> properties, FieldErrors errors)
    {
        if (value is null)
        {
            return;
        }

        if (ApiValues.TextProblem(value, ApiValues.MaxPersonName) is { } problem)
        {
            errors.Add(field, problem);
        }
        else
        {
            properties[field] = value.Trim();
        }
    }
}
