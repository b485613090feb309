namespace RetentionPlatform.Benchmarks;

/// <summary>What the gateway benchmark sends.</summary>
public enum GatewayWorkload
{
    /// <summary><c>GET /v1/customers/{id}</c> of customers that exist (the profiles service).</summary>
    ProfileRead,

    /// <summary><c>POST /v1/events</c>, a page_viewed event with a unique id (the events service).</summary>
    EventPost,
}
