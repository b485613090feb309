-- Orleans cluster membership and reminders for the Profiles silos, read by the ADO.NET providers
-- (Microsoft.Orleans.Clustering.AdoNet and Microsoft.Orleans.Reminders.AdoNet 10.4.2, invariant "Npgsql").
--
-- Those providers ship no schema. What they need from us:
--   * a table named OrleansQuery with columns QueryKey and QueryText, which each provider reads once at start
--     ("SELECT QueryKey, QueryText FROM OrleansQuery") and which must hold every key it knows, or it refuses to start;
--   * for each key, SQL that takes the provider's named parameters (@DeploymentId, @Address, ...) and returns the
--     columns it reads by name (Address, Port, Generation, ..., Version), or the single value it expects.
-- The tables below are ours (snake_case, like the rest of the schema); the queries alias their columns to the
-- names the provider reads. Npgsql finds a column by name case-insensitively, but the aliases are quoted anyway
-- so that each query states the contract it fulfils.
--
-- Where OrleansQuery lives: the provider names it unqualified, so PostgreSQL resolves it through search_path.
-- The service's connection string (ConnectionStrings__profilesdb, set by Aspire) carries no search path, which
-- would mean "$user", public. Instead of putting an Orleans table into public, where every service sharing the
-- database would see it, it lives in this schema and the silo hands the providers the profilesdb connection
-- string with "Search Path=profiles" added (Infrastructure/OrleansProviders.cs). Every query below qualifies its
-- tables anyway, so OrleansQuery is the only name that depends on the search path.
-- Unquoted, "OrleansQuery", "QueryKey" and "QueryText" fold to lowercase, which is how they are created here.
--
-- Times are timestamptz: the providers send DateTime values in UTC (DbType.DateTime, which Npgsql sends as
-- timestamptz) and read them back as UTC. Grain hashes are the provider's uint hashes cast to a signed int, so
-- reminder ranges are compared in signed order (the provider picks the wrapping or non-wrapping range query to match).

create table profiles.orleansquery (
    querykey  varchar(64) primary key,
    querytext text        not null
);

-- One row per cluster (the provider calls ClusterOptions.ClusterId "DeploymentId"). Its version is the etag of the
-- whole membership table: every membership insert or update must name the current version and bumps it, so two
-- silos that both read version N cannot both write.
create table profiles.orleans_membership_version (
    deployment_id text        primary key,
    version       integer     not null default 0,
    updated_at    timestamptz not null default now()
);

-- One row per silo incarnation (address, port and generation identify it). Status is Orleans' SiloStatus
-- (3 = Active, 6 = Dead); suspect_times is the provider's own "silo,time|silo,time" list of suspicion votes.
create table profiles.orleans_membership (
    deployment_id   text        not null references profiles.orleans_membership_version (deployment_id) on delete cascade,
    address         text        not null,
    port            integer     not null,
    generation      integer     not null,
    silo_name       text        not null,
    host_name       text        not null,
    status          integer     not null,
    proxy_port      integer     not null,
    suspect_times   text,
    start_time      timestamptz not null,
    i_am_alive_time timestamptz not null,
    primary key (deployment_id, address, port, generation)
);

-- Durable reminders, per ServiceId (which survives redeployments, unlike the cluster id). period is in
-- milliseconds; version is the row's etag, bumped by every upsert and required to delete.
create table profiles.orleans_reminders (
    service_id    text        not null,
    grain_id      text        not null,
    reminder_name text        not null,
    start_time    timestamptz not null,
    period        bigint      not null,
    grain_hash    integer     not null,
    version       integer     not null default 0,
    primary key (service_id, grain_id, reminder_name)
);

-- Each silo's reminder service reads the rows of its own slice of the hash ring.
create index orleans_reminders_by_hash on profiles.orleans_reminders (service_id, grain_hash);

insert into profiles.orleansquery (querykey, querytext) values

-- Clustering ------------------------------------------------------------------------------------------------

-- Run at silo start; returns whether this call created the cluster's version row (false when it existed).
('InsertMembershipVersionKey', $sql$
with inserted as (
    insert into profiles.orleans_membership_version (deployment_id)
    values (@DeploymentId)
    on conflict (deployment_id) do nothing
    returning 1
)
select exists (select 1 from inserted)
$sql$),

-- The whole table: one row per silo, each carrying the table version. The outer join returns the version even
-- for a cluster without silos yet (one row, all silo columns null), which is how the provider reads the version.
('MembershipReadAllKey', $sql$
select v.version         as "Version",
       m.address         as "Address",
       m.port            as "Port",
       m.generation      as "Generation",
       m.silo_name       as "SiloName",
       m.host_name       as "HostName",
       m.status          as "Status",
       m.proxy_port      as "ProxyPort",
       m.suspect_times   as "SuspectTimes",
       m.start_time      as "StartTime",
       m.i_am_alive_time as "IAmAliveTime"
from profiles.orleans_membership_version v
left join profiles.orleans_membership m on m.deployment_id = v.deployment_id
where v.deployment_id = @DeploymentId
$sql$),

-- One silo's row, with the table version (again through an outer join, so a missing silo still yields the version).
('MembershipReadRowKey', $sql$
select v.version         as "Version",
       m.address         as "Address",
       m.port            as "Port",
       m.generation      as "Generation",
       m.silo_name       as "SiloName",
       m.host_name       as "HostName",
       m.status          as "Status",
       m.proxy_port      as "ProxyPort",
       m.suspect_times   as "SuspectTimes",
       m.start_time      as "StartTime",
       m.i_am_alive_time as "IAmAliveTime"
from profiles.orleans_membership_version v
left join profiles.orleans_membership m
       on m.deployment_id = v.deployment_id
      and m.address = @Address and m.port = @Port and m.generation = @Generation
where v.deployment_id = @DeploymentId
$sql$),

-- Adds a silo if @Version is still the table version, bumping it in the same statement; returns whether it did.
-- The version is only bumped when the row is really new, so a refused insert leaves the table untouched.
-- A concurrent writer holding the version row makes this statement wait and then re-check version = @Version.
('InsertMembershipKey', $sql$
with bumped as (
    update profiles.orleans_membership_version v
    set version = v.version + 1, updated_at = now()
    where v.deployment_id = @DeploymentId
      and v.version = @Version
      and v.version < 2147483647
      and not exists (
          select 1 from profiles.orleans_membership m
          where m.deployment_id = @DeploymentId
            and m.address = @Address and m.port = @Port and m.generation = @Generation)
    returning v.deployment_id
),
inserted as (
    insert into profiles.orleans_membership
        (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, i_am_alive_time)
    select b.deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    from bumped b
    on conflict do nothing
    returning 1
)
select exists (select 1 from inserted)
$sql$),

-- Changes a silo's status and suspicion votes under the same version check as an insert; returns whether it did.
-- The heartbeat never moves backwards: a delayed write must not make a live silo look stale.
('UpdateMembershipKey', $sql$
with bumped as (
    update profiles.orleans_membership_version v
    set version = v.version + 1, updated_at = now()
    where v.deployment_id = @DeploymentId
      and v.version = @Version
      and v.version < 2147483647
      and exists (
          select 1 from profiles.orleans_membership m
          where m.deployment_id = @DeploymentId
            and m.address = @Address and m.port = @Port and m.generation = @Generation)
    returning v.deployment_id
),
updated as (
    update profiles.orleans_membership m
    set status = @Status,
        suspect_times = @SuspectTimes,
        i_am_alive_time = greatest(m.i_am_alive_time, @IAmAliveTime)
    from bumped b
    where m.deployment_id = b.deployment_id
      and m.address = @Address and m.port = @Port and m.generation = @Generation
    returning 1
)
select exists (select 1 from updated)
$sql$),

-- The periodic heartbeat. Deliberately outside the version check: other silos read it to judge liveness, and it
-- must not invalidate their pending membership writes.
('UpdateIAmAlivetimeKey', $sql$
update profiles.orleans_membership
set i_am_alive_time = greatest(i_am_alive_time, @IAmAliveTime)
where deployment_id = @DeploymentId
  and address = @Address and port = @Port and generation = @Generation
$sql$),

-- Gateways for clients: active silos that accept client connections (@Status is SiloStatus.Active).
('GatewaysQueryKey', $sql$
select address    as "Address",
       proxy_port as "ProxyPort",
       generation as "Generation"
from profiles.orleans_membership
where deployment_id = @DeploymentId
  and status = @Status
  and proxy_port > 0
$sql$),

-- Forgets a whole cluster: deleting the version row removes its silos through the foreign key's cascade.
('DeleteMembershipTableEntriesKey', $sql$
delete from profiles.orleans_membership_version
where deployment_id = @DeploymentId
$sql$),

-- Bulk pruning of dead silos older than the cutoff (@IAmAliveTime). 10.4.2 still requires the key at start but
-- prunes row by row with CleanupDefunctSiloEntryKey; this text keeps the same meaning should it be used.
('CleanupDefunctSiloEntriesKey', $sql$
delete from profiles.orleans_membership
where deployment_id = @DeploymentId
  and status = 6
  and i_am_alive_time < @IAmAliveTime
  and start_time < @IAmAliveTime
  and coalesce(suspect_times, '') = ''
$sql$),

-- Prunes one dead silo that the provider judged defunct from the values it read: the row goes only if those
-- values (start, heartbeat, votes) are still what is stored, so a row changed meanwhile is kept.
('CleanupDefunctSiloEntryKey', $sql$
delete from profiles.orleans_membership
where deployment_id = @DeploymentId
  and address = @Address and port = @Port and generation = @Generation
  and status = 6
  and start_time = @StartTime
  and i_am_alive_time = @IAmAliveTime
  and coalesce(suspect_times, '') = coalesce(@SuspectTimes, '')
$sql$),

-- Reminders ----------------------------------------------------------------------------------------------------

-- Creates or replaces a reminder and returns its new etag (0 when created, one more on every replacement).
('UpsertReminderRowKey', $sql$
insert into profiles.orleans_reminders as r
    (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
values (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
on conflict (service_id, grain_id, reminder_name) do update
set start_time = excluded.start_time,
    period = excluded.period,
    grain_hash = excluded.grain_hash,
    version = r.version + 1
returning r.version as "Version"
$sql$),

-- One grain's reminders.
('ReadReminderRowsKey', $sql$
select grain_id as "GrainId", reminder_name as "ReminderName", start_time as "StartTime", period as "Period", version as "Version"
from profiles.orleans_reminders
where service_id = @ServiceId and grain_id = @GrainId
$sql$),

-- One reminder, or no row.
('ReadReminderRowKey', $sql$
select grain_id as "GrainId", reminder_name as "ReminderName", start_time as "StartTime", period as "Period", version as "Version"
from profiles.orleans_reminders
where service_id = @ServiceId and grain_id = @GrainId and reminder_name = @ReminderName
$sql$),

-- A slice (@BeginHash, @EndHash] of the ring that does not wrap in signed order.
('ReadRangeRows1Key', $sql$
select grain_id as "GrainId", reminder_name as "ReminderName", start_time as "StartTime", period as "Period", version as "Version"
from profiles.orleans_reminders
where service_id = @ServiceId and grain_hash > @BeginHash and grain_hash <= @EndHash
$sql$),

-- A slice that wraps past the largest hash back to the smallest: (@BeginHash, max] and [min, @EndHash].
('ReadRangeRows2Key', $sql$
select grain_id as "GrainId", reminder_name as "ReminderName", start_time as "StartTime", period as "Period", version as "Version"
from profiles.orleans_reminders
where service_id = @ServiceId and (grain_hash > @BeginHash or grain_hash <= @EndHash)
$sql$),

-- Removes a reminder only at the etag the caller holds; returns whether it did.
('DeleteReminderRowKey', $sql$
with deleted as (
    delete from profiles.orleans_reminders
    where service_id = @ServiceId and grain_id = @GrainId and reminder_name = @ReminderName and version = @Version
    returning 1
)
select exists (select 1 from deleted)
$sql$),

-- Every reminder of a service (the provider uses it to clear test tables).
('DeleteReminderRowsKey', $sql$
delete from profiles.orleans_reminders
where service_id = @ServiceId
$sql$);
