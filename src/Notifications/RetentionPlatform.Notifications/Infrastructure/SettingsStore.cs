using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using NpgsqlTypes;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Infrastructure;

/// <summary>
/// Each tenant's channel settings and templates in PostgreSQL. Secrets (the SMTP password, the webhook's signing
/// secret, the providers' tokens) are sealed with <see cref="SecretBox"/> before they are stored. Reads are cached
/// for <see cref="CacheTime"/> (the send pipeline reads them for every message); this replica's own writes apply at
/// once, another replica's within the cache time.
/// </summary>
public sealed class SettingsStore(NpgsqlDataSource db, SecretBox secrets, TimeProvider time)
{
    /// <summary>How long a replica keeps a tenant's settings and templates before reading them again.</summary>
    public static readonly TimeSpan CacheTime = TimeSpan.FromSeconds(5);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };
    private readonly ConcurrentDictionary<string, (ChannelSettings? Settings, DateTimeOffset ReadAt)> _settings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Tenant, string Template), (IReadOnlyList<MessageTemplate> Locales, DateTimeOffset ReadAt)> _templates = new();

    /// <summary>The tenant's settings, or null when it never saved any.</summary>
    public async Task<ChannelSettings?> GetSettingsAsync(string tenantId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_settings.TryGetValue(tenantId, out var cached) && now - cached.ReadAt < CacheTime)
        {
            return cached.Settings;
        }

        await using var command = db.CreateCommand(
            "select business_name, default_locale, open_tracking, booking_page_url, email::text, webhook_url, sms_url, push_url, secrets from notifications.settings where tenant_id = $1");
        command.Parameters.Add(new() { Value = tenantId });
        ChannelSettings? settings = null;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                string? S(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                var sealedSecrets = reader.IsDBNull(8) ? null : reader.GetFieldValue<byte[]>(8);
                var opened = sealedSecrets is null ? new StoredSecrets() : Open(tenantId, sealedSecrets);
                var email = S(4) is { } emailJson ? JsonSerializer.Deserialize<StoredEmail>(emailJson, Json) : null;
                settings = new ChannelSettings(
                    reader.GetString(0),
                    reader.GetString(1),
                    email is null ? null : new EmailSettings(email.Host, email.Port, email.Security, email.UserName, opened.SmtpPassword, email.FromAddress, email.FromName, email.ReplyTo),
                    Endpoint(S(5), opened.WebhookSecret),
                    Endpoint(S(6), opened.SmsToken),
                    Endpoint(S(7), opened.PushToken),
                    reader.GetBoolean(2),
                    S(3) is { } booking ? new Uri(booking) : null);
            }
        }

        _settings[tenantId] = (settings, now);
        return settings;
    }

    /// <summary>Replaces the tenant's settings. A secret left null keeps the stored one (the API never shows secrets, so a client cannot send them back).</summary>
    public async Task<ChannelSettings> PutSettingsAsync(string tenantId, ChannelSettings settings, CancellationToken ct)
    {
        var existing = await GetSettingsFreshAsync(tenantId, ct);
        var merged = settings with
        {
            Email = settings.Email is { } email ? email with { Password = email.Password ?? existing?.Email?.Password } : null,
            Webhook = KeepSecret(settings.Webhook, existing?.Webhook),
            Sms = KeepSecret(settings.Sms, existing?.Sms),
            Push = KeepSecret(settings.Push, existing?.Push),
        };
        var stored = new StoredSecrets
        {
            SmtpPassword = merged.Email?.Password,
            WebhookSecret = merged.Webhook?.Secret,
            SmsToken = merged.Sms?.Secret,
            PushToken = merged.Push?.Secret,
        };
        var storedEmail = merged.Email is { } e ? new StoredEmail(e.Host, e.Port, e.Security, e.UserName, e.FromAddress, e.FromName, e.ReplyTo) : null;

        await using var command = db.CreateCommand(
            """
            insert into notifications.settings (tenant_id, business_name, default_locale, open_tracking, booking_page_url, email, webhook_url, sms_url, push_url, secrets, updated_at)
            values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11)
            on conflict (tenant_id) do update set business_name = excluded.business_name, default_locale = excluded.default_locale,
                open_tracking = excluded.open_tracking, booking_page_url = excluded.booking_page_url, email = excluded.email,
                webhook_url = excluded.webhook_url, sms_url = excluded.sms_url, push_url = excluded.push_url, secrets = excluded.secrets,
                updated_at = excluded.updated_at
            """);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = merged.BusinessName });
        command.Parameters.Add(new() { Value = merged.DefaultLocale });
        command.Parameters.Add(new() { Value = merged.OpenTracking });
        command.Parameters.Add(Text(merged.BookingPageUrl?.ToString()));
        command.Parameters.Add(Text(storedEmail is null ? null : JsonSerializer.Serialize(storedEmail, Json)));
        command.Parameters.Add(Text(merged.Webhook?.Url.ToString()));
        command.Parameters.Add(Text(merged.Sms?.Url.ToString()));
        command.Parameters.Add(Text(merged.Push?.Url.ToString()));
        command.Parameters.Add(new() { Value = secrets.Seal(tenantId, JsonSerializer.Serialize(stored, Json)) });
        command.Parameters.Add(new() { Value = time.GetUtcNow().UtcDateTime });
        await command.ExecuteNonQueryAsync(ct);
        _settings[tenantId] = (merged, time.GetUtcNow());
        return merged;
    }

    /// <summary>The tenant's template in every locale it exists in (empty when none).</summary>
    public async Task<IReadOnlyList<MessageTemplate>> GetTemplateAsync(string tenantId, string templateId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_templates.TryGetValue((tenantId, templateId), out var cached) && now - cached.ReadAt < CacheTime)
        {
            return cached.Locales;
        }

        await using var command = db.CreateCommand(
            "select template_id, locale, subject, html, text_body, updated_at from notifications.templates where tenant_id = $1 and template_id = $2 order by locale");
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = templateId });
        var locales = await ReadTemplatesAsync(command, ct);
        _templates[(tenantId, templateId)] = (locales, now);
        return locales;
    }

    /// <summary>Every template of the tenant, by id and locale.</summary>
    public async Task<IReadOnlyList<MessageTemplate>> ListTemplatesAsync(string tenantId, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            "select template_id, locale, subject, html, text_body, updated_at from notifications.templates where tenant_id = $1 order by template_id, locale");
        command.Parameters.Add(new() { Value = tenantId });
        return await ReadTemplatesAsync(command, ct);
    }

    /// <summary>Creates or replaces one locale of a template; returns whether it was new.</summary>
    public async Task<bool> PutTemplateAsync(string tenantId, MessageTemplate template, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            insert into notifications.templates (tenant_id, template_id, locale, subject, html, text_body, updated_at)
            values ($1, $2, $3, $4, $5, $6, $7)
            on conflict (tenant_id, template_id, locale) do update set subject = excluded.subject, html = excluded.html,
                text_body = excluded.text_body, updated_at = excluded.updated_at
            returning xmax = 0
            """);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = template.TemplateId });
        command.Parameters.Add(new() { Value = template.Locale });
        command.Parameters.Add(new() { Value = template.Subject });
        command.Parameters.Add(Text(template.Html));
        command.Parameters.Add(new() { Value = template.Text });
        command.Parameters.Add(new() { Value = template.UpdatedAt.UtcDateTime });
        var created = (bool)(await command.ExecuteScalarAsync(ct))!;
        _templates.TryRemove((tenantId, template.TemplateId), out _);
        return created;
    }

    /// <summary>Removes one locale of a template; returns whether it existed.</summary>
    public async Task<bool> DeleteTemplateAsync(string tenantId, string templateId, string locale, CancellationToken ct)
    {
        await using var command = db.CreateCommand("delete from notifications.templates where tenant_id = $1 and template_id = $2 and locale = $3");
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = templateId });
        command.Parameters.Add(new() { Value = locale });
        var deleted = await command.ExecuteNonQueryAsync(ct) > 0;
        _templates.TryRemove((tenantId, templateId), out _);
        return deleted;
    }

    private async Task<ChannelSettings?> GetSettingsFreshAsync(string tenantId, CancellationToken ct)
    {
        _settings.TryRemove(tenantId, out _);
        return await GetSettingsAsync(tenantId, ct);
    }

    private static async Task<IReadOnlyList<MessageTemplate>> ReadTemplatesAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var templates = new List<MessageTemplate>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            templates.Add(new MessageTemplate(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4),
                new DateTimeOffset(reader.GetDateTime(5), TimeSpan.Zero)));
        }

        return templates;
    }

    /// <summary>
    /// The tenant's secrets; none when they cannot be opened (sealed under another master key, or altered). Its messages
    /// then fail at their channel (a login refused, a signature the partner rejects) with the reason in the log, instead
    /// of every read of the settings failing; saving the secrets again repairs it.
    /// </summary>
    private StoredSecrets Open(string tenantId, byte[] sealedSecrets)
    {
        try
        {
            return JsonSerializer.Deserialize<StoredSecrets>(secrets.Open(tenantId, sealedSecrets), Json) ?? new StoredSecrets();
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return new StoredSecrets();
        }
    }

    private static HttpEndpointSettings? Endpoint(string? url, string? secret) => url is null ? null : new HttpEndpointSettings(new Uri(url), secret ?? "");

    private static HttpEndpointSettings? KeepSecret(HttpEndpointSettings? given, HttpEndpointSettings? stored) =>
        given is null ? null : given with { Secret = string.IsNullOrEmpty(given.Secret) ? stored?.Secret ?? "" : given.Secret };

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private sealed record StoredEmail(string Host, int Port, SmtpSecurity Security, string? UserName, string FromAddress, string? FromName, string? ReplyTo);

    private sealed class StoredSecrets
    {
        public string? SmtpPassword { get; init; }

        public string? WebhookSecret { get; init; }

        public string? SmsToken { get; init; }

        public string? PushToken { get; init; }
    }
}
