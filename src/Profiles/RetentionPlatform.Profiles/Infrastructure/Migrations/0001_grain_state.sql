-- Orleans grain state for the Profiles silo (customer profiles and, later, journeys).
-- The grain id embeds the tenant (customer/<tenant>/<customer>), so every row belongs to one tenant.
create table if not exists profiles.grain_state (
    state_name  text        not null,
    grain_id    text        not null,
    etag        bigint      not null,
    payload     bytea       not null,
    updated_at  timestamptz not null default now(),
    primary key (state_name, grain_id)
);
