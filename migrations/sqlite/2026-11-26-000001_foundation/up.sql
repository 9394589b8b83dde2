-- Foundation tables, the same as migrations/postgres: INTEGER is SQLite's 64-bit integer,
-- TIMESTAMP columns hold diesel's text form, which sorts in time order.
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    permissions   TEXT NOT NULL DEFAULT '[]',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);

CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL UNIQUE,
    key_hash     TEXT NOT NULL,
    scopes       TEXT NOT NULL DEFAULT '[]',
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    expires_at   TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX api_keys_user_id ON api_keys (user_id);

CREATE TABLE websites (
    id         TEXT PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    niche      TEXT NOT NULL,
    domain     TEXT,
    status     TEXT NOT NULL,
    settings   TEXT NOT NULL DEFAULT '{}',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE leads (
    id           TEXT PRIMARY KEY,
    email        TEXT NOT NULL,
    quiz_answers TEXT NOT NULL DEFAULT '{}',
    persona      TEXT,
    funnel_stage TEXT NOT NULL,
    user_id      TEXT REFERENCES users (id) ON DELETE SET NULL,
    website_id   TEXT REFERENCES websites (id) ON DELETE SET NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX leads_email ON leads (email);

CREATE TABLE workflows (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    status     TEXT NOT NULL,
    input      TEXT NOT NULL,
    state      TEXT NOT NULL DEFAULT '{}',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE tasks (
    id               TEXT PRIMARY KEY,
    agent            TEXT NOT NULL,
    kind             TEXT NOT NULL,
    input            TEXT NOT NULL,
    status           TEXT NOT NULL,
    priority         INTEGER NOT NULL DEFAULT 0,
    attempts         INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL,
    lease_owner      TEXT,
    lease_expires_at TIMESTAMP,
    idempotency_key  TEXT UNIQUE,
    result           TEXT,
    error            TEXT,
    workflow_id      TEXT REFERENCES workflows (id) ON DELETE SET NULL,
    created_at       TIMESTAMP NOT NULL,
    started_at       TIMESTAMP,
    finished_at      TIMESTAMP
);
-- The dispatcher claims queued work per agent by priority, then age.
CREATE INDEX tasks_claim ON tasks (agent, status, priority DESC, created_at);
CREATE INDEX tasks_lease ON tasks (status, lease_expires_at);
CREATE INDEX tasks_workflow ON tasks (workflow_id);
