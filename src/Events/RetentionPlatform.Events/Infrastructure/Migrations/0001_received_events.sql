-- The event ids each tenant has sent, so a resent event is recognised across requests (and across instances of
-- the service) and not published again. Rows are kept for the duplicate window (Events:DuplicateWindow) and then
-- deleted by ReceivedEventsCleanup; received_at is the service's clock at the time the event was published.
create table if not exists events.received_events (
    tenant_id   text        not null,
    event_id    text        not null,
    received_at timestamptz not null,
    primary key (tenant_id, event_id)
);

-- The cleanup deletes by age.
create index if not exists received_events_received_at on events.received_events (received_at);
