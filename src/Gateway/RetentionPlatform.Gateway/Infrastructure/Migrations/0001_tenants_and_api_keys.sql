-- Tenants (one business each) and their API keys. A key is stored only as the SHA-256 of the whole key; its
-- public prefix (rpk_ and 8 characters) identifies it in lists, logs and revocation.
create table gateway.tenants (
    tenant_id text primary key check (tenant_id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name text not null check (length(name) between 1 and 200),
    status text not null default 'active' check (status in ('active', 'suspended')),
    -- Requests per second for the whole tenant (token bucket); null takes the gateway's default.
    permits_per_second integer check (permits_per_second > 0),
    burst integer check (burst > 0),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create table gateway.api_keys (
    prefix text primary key,
    tenant_id text not null references gateway.tenants (tenant_id),
    key_sha256 text not null unique check (length(key_sha256) = 64),
    name text not null check (length(name) between 1 and 200),
    scopes text[] not null check (cardinality(scopes) > 0 and scopes <@ array['ingest', 'read', 'write', 'admin']),
    permits_per_second integer check (permits_per_second > 0),
    burst integer check (burst > 0),
    created_at timestamptz not null default now(),
    revoked_at timestamptz
);

create index api_keys_by_tenant on gateway.api_keys (tenant_id, created_at);

-- Every change to tenants or keys bumps this one row, so each gateway replica notices a change (a revocation)
-- with one tiny read per poll and then reloads its key ring.
create table gateway.key_ring_version (
    id boolean primary key default true check (id),
    version bigint not null
);

insert into gateway.key_ring_version (id, version) values (true, 0);
