using V1 = RetentionPlatform.Contracts.Scheduling.V1;

namespace RetentionPlatform.Scheduling.Grpc;

/// <summary><c>retention.scheduling.v1.Scheduling</c>.</summary>
public sealed class SchedulingGrpcService : V1.Scheduling.SchedulingBase
{
}
