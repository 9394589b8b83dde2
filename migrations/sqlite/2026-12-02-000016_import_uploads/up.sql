-- Files sent to POST /api/v1/imports, kept in the database so that whichever node runs the import
-- task can read them: the upload, and its bytes in chunks of at most 1 MiB numbered from 0. An
-- upload without `completed_at` is still arriving (or its request died). The chunks are deleted
-- when the import task ends; the upload row stays as the record of what was imported.
CREATE TABLE import_uploads (
    id           TEXT PRIMARY KEY NOT NULL,
    kind         TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    byte_size    BIGINT NOT NULL,
    chunk_count  BIGINT NOT NULL,
    sha256       TEXT,
    task_id      TEXT,
    created_by   TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at   TIMESTAMP NOT NULL,
    completed_at TIMESTAMP
);
CREATE INDEX import_uploads_task ON import_uploads (task_id);
CREATE INDEX import_uploads_arriving ON import_uploads (completed_at, created_at);

CREATE TABLE import_upload_chunks (
    upload_id TEXT NOT NULL REFERENCES import_uploads (id) ON DELETE CASCADE,
    seq       BIGINT NOT NULL,
    bytes     BLOB NOT NULL,
    PRIMARY KEY (upload_id, seq)
);
