-- Fault dup_events of the reference target (issue 13 §5): every new event is stored a second time, with the same id.
-- events.id stays the primary key, so the second row goes into events_dup, a child table of events (PostgreSQL
-- table inheritance): it has the same columns and no primary key, and a select from events reads its rows too, so
-- "select id, count(*) from events group by id having count(*) > 1" finds each duplicate; "from only events" does
-- not. The table stays empty unless the fault is on.
create table events_dup () inherits (events);
