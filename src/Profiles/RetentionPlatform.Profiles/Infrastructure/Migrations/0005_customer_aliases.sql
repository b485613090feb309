-- Aliases (email:..., phone:..., id:...) and the customer each resolves to, one row per alias and tenant: the
-- primary key makes the first claim win even when two customers claim the same address at the same moment.
create table if not exists profiles.customer_aliases (
    tenant_id   text        not null,
    alias       text        not null,
    customer_id text        not null,
    claimed_at  timestamptz not null default now(),
    primary key (tenant_id, alias)
);

-- Erasure releases every alias of one customer.
create index if not exists customer_aliases_by_customer on profiles.customer_aliases (tenant_id, customer_id);
