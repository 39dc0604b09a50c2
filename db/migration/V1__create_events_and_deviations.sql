-- The reference target's schema, after seed 003's backend: events in, deviations out.
-- Released migrations are never edited: change the schema with a new V<n>__*.sql file.

create table events (
    id          uuid primary key,
    "timestamp" timestamptz not null,
    category    text not null,
    payload     jsonb not null,
    -- X-Scenario-Id and X-Emitter of the request, so that a run's rows can be counted exactly
    scenario_id text,
    emitter     text,
    -- when the row was written, for rates measured from the database rather than from the sender
    received_at timestamptz not null default clock_timestamp()
);

create index events_scenario_id_idx on events (scenario_id);

-- Deviations found by rule evaluation (the scheduler, or POST /deviations/evaluate).
create table deviations (
    id           bigserial primary key,
    rule         text not null,
    subject      text not null,
    severity     text not null default 'warning',
    window_start timestamptz,
    window_end   timestamptz,
    details      jsonb not null default '{}'::jsonb,
    created_at   timestamptz not null default clock_timestamp()
);

-- The earlier deviation table that the runbook still watches.
create table deviations_v1 (
    id         bigserial primary key,
    rule_id    text not null,
    room       text,
    started_at timestamptz not null,
    ended_at   timestamptz,
    created_at timestamptz not null default clock_timestamp()
);
