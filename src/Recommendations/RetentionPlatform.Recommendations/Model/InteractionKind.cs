namespace RetentionPlatform.Recommendations.Model;

/// <summary>What a customer did with an item; later kinds say more about what the customer wants.</summary>
public enum InteractionKind
{
    View = 1,
    Cart = 2,
    Purchase = 3,
}
