-- Segment member lists: a projection of the customers' grains, kept by their outbox (segment_entered /
-- segment_exited), so "who is in this segment" is one indexed query instead of a scan of every profile.
create table if not exists profiles.segment_members (
    tenant_id   text        not null,
    segment_id  text        not null,
    customer_id text        not null,
    entered_at  timestamptz not null,
    primary key (tenant_id, segment_id, customer_id)
);

-- Erasure and merges remove a customer from every segment at once.
create index if not exists segment_members_by_customer on profiles.segment_members (tenant_id, customer_id);
