-- One row per (tenant, Idempotency-Key): claimed 'in_progress' by the first POST with the key, then 'completed'
-- with the response to replay. Rows whose response must not be replayed (5xx, 429, ...) are deleted instead, so a
-- retry runs again. The cleanup service deletes rows older than the retention (24 h by default).
-- No foreign key to gateway.tenants: keys configured in Gateway:ApiKeys name tenants that have no row there.
create table gateway.idempotency_keys (
    tenant_id text not null,
    idempotency_key text not null check (length(idempotency_key) between 1 and 255),
    -- SHA-256 over method, path, query string and body: the same key with another request is refused (422).
    fingerprint bytea not null check (length(fingerprint) = 32),
    -- Who holds the claim: completing or releasing needs it, so a request whose stale claim was taken over
    -- cannot overwrite the newer owner's row.
    claim_id uuid not null,
    status text not null check (status in ('in_progress', 'completed')),
    created_at timestamptz not null,
    locked_at timestamptz not null,
    completed_at timestamptz,
    status_code integer check (status_code between 100 and 599),
    content_type text,
    -- The few replayable response headers (Location, Retry-After, ...), names and values in the same order.
    header_names text[],
    header_values text[],
    body bytea,
    primary key (tenant_id, idempotency_key),
    check (status = 'in_progress' or (completed_at is not null and status_code is not null and body is not null
        and cardinality(header_names) = cardinality(header_values)))
);

create index idempotency_keys_by_created_at on gateway.idempotency_keys (created_at);
