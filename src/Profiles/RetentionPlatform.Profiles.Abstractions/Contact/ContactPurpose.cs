namespace RetentionPlatform.Profiles;

/// <summary>Why a message is sent; consent and suppression rules differ per purpose.</summary>
public enum ContactPurpose
{
    /// <summary>Something the customer did or must know now (receipt, password reset). Exempt from the budget and quiet hours, but counted.</summary>
    Transactional = 0,

    /// <summary>Service to an existing relationship (appointment reminder, feedback request).</summary>
    Service = 1,

    /// <summary>Promotion; needs explicit consent and a quiet, open context.</summary>
    Marketing = 2,
}
