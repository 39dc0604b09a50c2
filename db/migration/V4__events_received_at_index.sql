-- An index that leads with events.received_at, the time each row was written: it lets a database watcher count the
-- rows added since its last poll by an index range scan (count: keyset, key: received_at) instead of reading the
-- table, and a rate be measured from the database over any window. Writes and answers are unchanged.
create index events_received_at_idx on events (received_at);
