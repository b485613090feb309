namespace RetentionPlatform.Postgres.Tests;

/// <summary>The xunit collection of tests that share the throwaway server of <see cref="PostgresFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class SharedPostgresServer : ICollectionFixture<PostgresFixture>
{
    public const string Name = "Shared PostgreSQL server";
}
