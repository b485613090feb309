-- The Recommendations service's durable state. The in-memory model (Model/TenantModel.cs) is rebuilt from these
-- tables at start (RecommendationModelLoader), so a restart does not start from nothing.

-- Each tenant's catalog. A deleted item stays as a tombstone (removed = true) so interactions that still name it
-- never bring it back on replay.
create table if not exists recommendations.items (
    tenant_id  text          not null,
    item_id    text          not null,
    name       text,
    category   text          not null,
    price      numeric(18,4),
    available  boolean       not null default true,
    hidden     boolean       not null default false,
    removed    boolean       not null default false,
    created_at timestamptz   not null,
    updated_at timestamptz   not null,
    primary key (tenant_id, item_id)
);

-- What customers did with items, learned from retention.customer-events.v1: one row per event and item, so a
-- redelivered event is recognised (the primary key) and never counted twice.
-- kind: 1 viewed, 2 added to the cart, 3 bought.
create table if not exists recommendations.interactions (
    tenant_id   text        not null,
    event_id    text        not null,
    item_id     text        not null,
    customer_id text        not null,
    kind        smallint    not null,
    occurred_at timestamptz not null,
    primary key (tenant_id, event_id, item_id)
);

-- Erasure deletes by customer; the replay at start reads by time.
create index if not exists interactions_customer on recommendations.interactions (tenant_id, customer_id);
create index if not exists interactions_occurred_at on recommendations.interactions (occurred_at);

-- Each customer's current cart (never recommended to them).
create table if not exists recommendations.carts (
    tenant_id   text        not null,
    customer_id text        not null,
    item_ids    text[]      not null,
    updated_at  timestamptz not null,
    primary key (tenant_id, customer_id)
);
