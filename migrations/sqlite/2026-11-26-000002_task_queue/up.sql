-- How long one attempt of a task may run before the runtime gives up on it.
ALTER TABLE tasks ADD COLUMN timeout_ms INTEGER NOT NULL DEFAULT 60000;
