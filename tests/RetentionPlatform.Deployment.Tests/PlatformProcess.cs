using RetentionPlatform.Testing;

namespace RetentionPlatform.Deployment.Tests;

/// <summary>One running process of a resource (a Profiles replica, the gateway, ...), with the instance id it reports telemetry under.</summary>
public sealed record PlatformProcess(string Resource, int Replica, string InstanceId, Endpoints Endpoints, ServiceProcess Process);
