-- The reference target's scheduler and fault switches (issue 4 §4).

-- Rule evaluation upserts one deviation per (rule, subject): a later firing updates the row instead of adding one.
-- No unique constraint: the dup_deviations and hot_loop faults insert duplicates on purpose, which is what the
-- duplicate_rows criterion looks for. The upsert finds the pair's row by this index.
alter table deviations add column updated_at timestamptz not null default clock_timestamp();
alter table deviations add column hits integer not null default 1;
create index deviations_rule_subject_idx on deviations (rule, subject);

-- The scheduler's query: the last event of a category per subject within a lookback.
create index events_category_timestamp_idx on events (category, "timestamp");

-- Fault db_bloat: rows of random bytes, stored without compression so that the database grows by what is written.
create table bloat (
    id         bigserial primary key,
    written_at timestamptz not null default clock_timestamp(),
    data       bytea not null
);
alter table bloat alter column data set storage external;
