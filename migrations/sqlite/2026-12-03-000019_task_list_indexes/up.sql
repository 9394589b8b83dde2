-- SQLite runs list queries on the HTTP worker that asked (schema/src/sqlite_reads.rs), so a
-- filtered task list must never scan the table: each filter the list takes (agent, status, both)
-- has an index in the list's order, and a page reads only its own rows.
CREATE INDEX tasks_listed_by_agent ON tasks (agent, id);
CREATE INDEX tasks_listed_by_status ON tasks (status, id);
CREATE INDEX tasks_listed_by_agent_and_status ON tasks (agent, status, id);
