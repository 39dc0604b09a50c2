-- POST /ingest (seed 000's log ingest): one row per request, with what the target made of its records.
create table ingest_batches (
    id            bigserial primary key,
    received_at   timestamptz not null default clock_timestamp(),
    scenario_id   text,
    emitter       text,
    format        text not null,       -- json, ndjson, csv or syslog
    records       integer not null,    -- records read, parse errors included
    parse_errors  integer not null,
    missing_ts    integer not null,
    missing_level integer not null
);

create index ingest_batches_scenario_id_idx on ingest_batches (scenario_id);
