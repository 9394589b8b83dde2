ALTER TABLE tasks DROP COLUMN timeout_ms;
