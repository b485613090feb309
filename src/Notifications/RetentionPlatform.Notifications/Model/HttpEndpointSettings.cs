namespace RetentionPlatform.Notifications.Model;

/// <summary>An HTTP endpoint a channel posts messages to: a partner's webhook, or an SMS or push provider.</summary>
/// <param name="Url">Where to POST (http or https).</param>
/// <param name="Secret">The signing secret (webhook) or bearer token (provider); kept encrypted at rest, never returned by the API.</param>
public sealed record HttpEndpointSettings(Uri Url, string Secret);
