namespace RetentionPlatform.Gateway.Tests;

/// <summary>The Notifications gateway fixture with a public links' burst of 5 per client address, small enough to use up.</summary>
public sealed class TightLinkLimitGatewayFixture : NotificationsGatewayFixture
{
    public override int PublicLinksBurst => 5;
}
