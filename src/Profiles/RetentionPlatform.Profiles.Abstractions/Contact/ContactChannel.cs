namespace RetentionPlatform.Profiles;

/// <summary>A way of reaching a customer. Serialized by name in JSON and by value on the wire; values never change.</summary>
public enum ContactChannel
{
    Email = 0,
    Sms = 1,
    Push = 2,
    Webhook = 3,
}
