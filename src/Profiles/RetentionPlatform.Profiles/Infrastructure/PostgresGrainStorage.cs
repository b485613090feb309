using Npgsql;
using Orleans.Storage;

namespace RetentionPlatform.Profiles.Infrastructure;

/// <summary>
/// Orleans grain storage in PostgreSQL: one row per (state name, grain id), Orleans' own version-tolerant
/// binary serializer for the payload, and an etag that makes concurrent writers fail instead of overwriting.
/// Writes go through <see cref="GrainStateWriter"/>, which commits concurrent writes together.
/// </summary>
public sealed class PostgresGrainStorage(NpgsqlDataSource dataSource, GrainStateWriter writer, IGrainStorageSerializer serializer) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var command = dataSource.CreateCommand("select payload, etag from profiles.grain_state where state_name = $1 and grain_id = $2");
        command.Parameters.Add(new() { Value = stateName });
        command.Parameters.Add(new() { Value = grainId.ToString() });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            grainState.RecordExists = false;
            grainState.ETag = null;
            return;
        }

        var payload = reader.GetFieldValue<byte[]>(0);
        grainState.State = serializer.Deserialize<T>(new BinaryData(payload));
        grainState.ETag = reader.GetInt64(1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = serializer.Serialize(grainState.State).ToArray();
        var wakeAt = (grainState.State as IScheduledWake)?.WakeAt;
        var newEtag = await writer.WriteAsync(stateName, grainId.ToString(), ParseEtag(grainState.ETag), payload, wakeAt)
            ?? throw new InconsistentStateException($"State '{stateName}' of {grainId} was changed by another writer.", "unknown", grainState.ETag ?? "none");

        grainState.ETag = newEtag.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var command = dataSource.CreateCommand("delete from profiles.grain_state where state_name = $1 and grain_id = $2");
        command.Parameters.Add(new() { Value = stateName });
        command.Parameters.Add(new() { Value = grainId.ToString() });
        await command.ExecuteNonQueryAsync();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private static long? ParseEtag(string? etag) =>
        etag is null ? null : long.Parse(etag, System.Globalization.CultureInfo.InvariantCulture);
}
