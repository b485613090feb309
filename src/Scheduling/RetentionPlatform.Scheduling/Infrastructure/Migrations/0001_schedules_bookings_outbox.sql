-- The Scheduling service's durable state: each tenant's schedule (locations, resources, services, time off), the
-- bookings, the waitlist and the outbox of appointment events (including reminders due in the future).

-- btree_gist lets one exclusion constraint combine equality on text (tenant, resource) with overlap of time ranges.
create extension if not exists btree_gist with schema public;

-- Bumped by every change to a tenant's schedule, so each replica's cached copy knows when to reload.
create table if not exists scheduling.schedule_versions (
    tenant_id text   not null primary key,
    version   bigint not null
);

create table if not exists scheduling.locations (
    tenant_id   text        not null,
    location_id text        not null,
    name        text        not null,
    time_zone   text        not null,   -- an IANA zone id, e.g. Europe/Berlin
    holidays    date[]      not null default '{}',   -- local dates the location is closed
    updated_at  timestamptz not null,
    primary key (tenant_id, location_id)
);

create table if not exists scheduling.resources (
    tenant_id     text        not null,
    resource_id   text        not null,
    location_id   text        not null,
    name          text        not null,
    kind          text        not null,   -- staff, room, chair, equipment
    working_hours jsonb       not null,   -- {"monday":[{"start":"09:00","end":"12:30"},...],...} in the location's zone
    removed       boolean     not null default false,
    updated_at    timestamptz not null,
    primary key (tenant_id, resource_id)
);

create table if not exists scheduling.time_off (
    tenant_id   text        not null,
    time_off_id text        not null,
    resource_id text        not null,
    starts_at   timestamptz not null,
    ends_at     timestamptz not null,
    reason      text,
    primary key (tenant_id, time_off_id),
    check (ends_at > starts_at)
);

create table if not exists scheduling.services (
    tenant_id            text          not null,
    service_id           text          not null,
    name                 text          not null,
    duration_minutes     integer       not null,
    buffer_before_min    integer       not null default 0,
    buffer_after_min     integer       not null default 0,
    resource_ids         text[]        not null,
    price                numeric(18,4),
    currency             text,
    policy               jsonb         not null,   -- notice, horizon, cut-offs, slot step, reminder offsets
    removed              boolean       not null default false,
    updated_at           timestamptz   not null,
    primary key (tenant_id, service_id)
);

-- One row per appointment. blocked_from/blocked_until is the appointment with the service's buffers: two booked
-- appointments of one resource may never overlap there. The database enforces it, whatever the concurrency.
create table if not exists scheduling.bookings (
    tenant_id          text        not null,
    booking_id         text        not null,
    service_id         text        not null,
    resource_id        text        not null,
    location_id        text        not null,
    customer_id        text        not null,
    starts_at          timestamptz not null,
    ends_at            timestamptz not null,
    blocked_from       timestamptz not null,
    blocked_until      timestamptz not null,
    status             text        not null,   -- booked, cancelled, completed, no_show
    client_key         text,
    request_hash       text,
    customer_time_zone text,
    notes              text,
    cancel_reason      text,
    created_at         timestamptz not null,
    updated_at         timestamptz not null,
    primary key (tenant_id, booking_id),
    check (ends_at > starts_at and blocked_from <= starts_at and blocked_until >= ends_at),
    constraint bookings_no_overlap exclude using gist (
        tenant_id with =, resource_id with =, (tstzrange(blocked_from, blocked_until)) with &&) where (status = 'booked')
);

create unique index if not exists bookings_client_key on scheduling.bookings (tenant_id, client_key) where client_key is not null;
create index if not exists bookings_customer on scheduling.bookings (tenant_id, customer_id, starts_at);
-- Availability reads each resource's booked times in a range; everything it needs is in this index.
create index if not exists bookings_busy on scheduling.bookings (tenant_id, resource_id, blocked_from) include (blocked_until) where status = 'booked';

create table if not exists scheduling.waitlist (
    tenant_id        text        not null,
    entry_id         text        not null,
    customer_id      text        not null,
    service_id       text        not null,
    resource_id      text,
    window_from      timestamptz not null,
    window_until     timestamptz not null,
    status           text        not null,   -- waiting, offered, booked, withdrawn
    offered_start    timestamptz,
    offered_resource text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    primary key (tenant_id, entry_id),
    check (window_until > window_from)
);

create index if not exists waitlist_waiting on scheduling.waitlist (tenant_id, created_at) where status = 'waiting';
create index if not exists waitlist_customer on scheduling.waitlist (tenant_id, customer_id);

-- Appointment events, written in the same transaction as the change they describe and published by the outbox
-- dispatcher once due: at once for a change, at the reminder's moment for a reminder. Rows survive restarts.
create table if not exists scheduling.outbox (
    id           bigint generated always as identity primary key,
    tenant_id    text        not null,
    customer_id  text        not null,
    booking_id   text,
    event_id     text        not null,
    event_type   text        not null,
    occurred_at  timestamptz not null,
    due_at       timestamptz not null,
    payload      jsonb       not null,
    expires_at   timestamptz,   -- a reminder not sent by then (the appointment started) is dropped, not sent late
    published_at timestamptz,   -- when sent (or dropped); null while pending
    dropped      boolean     not null default false
);

create index if not exists outbox_due on scheduling.outbox (due_at) where published_at is null;
create index if not exists outbox_booking on scheduling.outbox (tenant_id, booking_id) where published_at is null;
