-- DROP COLUMN needs SQLite 3.35, which RETURNING needs already.
ALTER TABLE tasks DROP COLUMN timeout_ms;
