-- When a grain must next wake up on its own (a segment's time condition, a churn threshold), written with its
-- state in the same row and statement, so scheduling costs no write of its own. The wake-up scanner reads the
-- due rows through the partial index, which holds only grains that are waiting for something.
alter table profiles.grain_state add column if not exists wake_at timestamptz;

create index if not exists grain_state_wake_at on profiles.grain_state (wake_at) where wake_at is not null;
