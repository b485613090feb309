namespace RetentionPlatform.Admin.Model;

/// <summary>A token bucket: a steady rate of permits per second and a burst.</summary>
internal sealed record RateLimit(int PermitsPerSecond, int Burst);
