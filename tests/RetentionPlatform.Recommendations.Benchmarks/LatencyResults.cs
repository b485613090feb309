namespace RetentionPlatform.Recommendations.Benchmarks;

/// <summary>The gRPC runs (with the garbage collections during the main one) and the model calls timed in process.</summary>
internal sealed record LatencyResults(
    TimeSpan IdleCpuPerSecond,
    OpenLoopResult WarmupQuarterRate,
    OpenLoopResult WarmupFullRate,
    OpenLoopResult RecommendForCustomer,
    GcSnapshot RecommendForCustomerGc,
    OpenLoopResult PopularBaseline,
    OpenLoopResult SimilarItems,
    OpenLoopResult RecommendForCustomerAtQuarterRate,
    Latencies RecommendForCustomerCapacity,
    Latencies PopularBaselineCapacity,
    (Latencies Latency, double CpuMicrosecondsPerCall) InProcessRecommendForCustomer,
    (Latencies Latency, double CpuMicrosecondsPerCall) InProcessSimilarItems);
