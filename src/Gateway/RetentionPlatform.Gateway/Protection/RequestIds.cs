using System.Diagnostics;

namespace RetentionPlatform.Gateway.Protection;

/// <summary>
/// Every response carries <c>X-Request-Id</c>: the W3C trace id of the gateway's request span, so a partner's
/// support ticket leads straight to the whole trace (gateway, services, Kafka, grain). The same id goes to the
/// services as <c>X-Request-Id</c>. The gateway starts a new trace for every request: whatever
/// <c>traceparent</c> a caller sends is not continued (see <see cref="RootTracePropagator"/>).
/// </summary>
public static class RequestIds
{
    public const string Header = "X-Request-Id";

    public static IApplicationBuilder UseRequestIds(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var id = Activity.Current is { } activity ? activity.TraceId.ToHexString() : context.TraceIdentifier;
            context.Response.Headers[Header] = id;
            return next(context);
        });
}

/// <summary>
/// Makes the gateway the root of every trace: extracts nothing from incoming requests (a caller cannot attach
/// platform spans to its own trace, or pick trace ids), and injects like the default propagator.
/// </summary>
public sealed class RootTracePropagator : DistributedContextPropagator
{
    private readonly DistributedContextPropagator _inner = CreateDefaultPropagator();

    public override IReadOnlyCollection<string> Fields => _inner.Fields;

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter) => _inner.Inject(activity, carrier, setter);

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState)
    {
        traceId = null;
        traceState = null;
    }

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) => null;
}
