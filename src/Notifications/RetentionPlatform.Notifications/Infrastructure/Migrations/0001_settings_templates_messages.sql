-- The Notifications service's durable state: each tenant's channel settings (secrets sealed with AES-GCM), its
-- templates, every message with where it is in the send pipeline, and the delivery log, which is also the outbox of
-- retention.message-events.v1 (a row is published once, after it committed).

create table if not exists notifications.settings (
    tenant_id        text        not null primary key,
    business_name    text        not null,
    default_locale   text        not null,
    open_tracking    boolean     not null,
    booking_page_url text,
    email            jsonb,        -- host, port, security, userName, fromAddress, fromName, replyTo (never the password)
    webhook_url      text,
    sms_url          text,
    push_url         text,
    secrets          bytea,        -- AES-GCM sealed JSON of the passwords, signing secrets and tokens
    updated_at       timestamptz not null
);

create table if not exists notifications.templates (
    tenant_id   text        not null,
    template_id text        not null,
    locale      text        not null,   -- lower-case BCP 47
    subject     text        not null,
    html        text,
    text_body   text        not null,
    updated_at  timestamptz not null,
    primary key (tenant_id, template_id, locale)
);

create table if not exists notifications.messages (
    tenant_id       text        not null,
    message_id      uuid        not null,
    idempotency_key text        not null,
    customer_id     text        not null,
    template_id     text        not null,
    locale          text,                  -- what the request asked for; null: the profile's, then the tenant's
    channels        text[]      not null,  -- the preference, in order
    purpose         text        not null,
    kind            text        not null,
    data            jsonb,
    source          text        not null,  -- api, grpc, kafka, appointment
    status          text        not null,  -- pending, deferred, queued, sent, denied, failed, cancelled
    channel         text,                  -- the channel chosen once the decision allowed it
    reason          text,                  -- the deciding rule or the last error's class
    detail          text,
    attempts        integer     not null default 0,
    due_at          timestamptz not null,
    lease_until     timestamptz,           -- a worker holds it until then; after a crash another takes it over
    address         text,
    recipient_name  text,
    subject         text,
    html            text,
    text_body       text,
    rendered_locale text,
    provider_id     text,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    sent_at         timestamptz,
    primary key (tenant_id, message_id),
    unique (tenant_id, idempotency_key)
);

-- What the workers claim: only the rows still in flight, by due time.
create index if not exists messages_due on notifications.messages (due_at) where status in ('pending', 'deferred', 'queued');
create index if not exists messages_customer on notifications.messages (tenant_id, customer_id, created_at desc);

create table if not exists notifications.message_log (
    id           bigint      generated always as identity primary key,
    tenant_id    text        not null,
    message_id   uuid,                     -- null for events not about one message
    customer_id  text        not null,
    event_id     text        not null,     -- the Kafka event id; repeats of one fact share it
    event_type   text        not null,     -- message_requested, message_deferred, message_denied, message_sent, ...
    occurred_at  timestamptz not null,
    payload      jsonb       not null,     -- {"properties": {...}}, the shape of ingested events
    published_at timestamptz,
    unique (tenant_id, event_id)
);

create index if not exists message_log_unpublished on notifications.message_log (id) where published_at is null;
create index if not exists message_log_message on notifications.message_log (tenant_id, message_id, id);
create index if not exists message_log_customer on notifications.message_log (tenant_id, customer_id);
