-- Schedules: work the cluster asks for on a cron clock. A node fires a tick only after moving
-- next_run_at past it with a conditional update, so one node fires each tick.
CREATE TABLE schedules (
    id               TEXT PRIMARY KEY NOT NULL,
    name             TEXT NOT NULL,
    cron             TEXT NOT NULL,
    timezone         TEXT NOT NULL,
    target           TEXT NOT NULL,
    agent            TEXT,
    kind             TEXT NOT NULL,
    input            TEXT NOT NULL,
    overlap          TEXT NOT NULL,
    catch_up_s       BIGINT NOT NULL,
    paused           BOOLEAN NOT NULL,
    next_run_at      TIMESTAMP,
    last_run_at      TIMESTAMP,
    last_task_id     TEXT,
    last_workflow_id TEXT,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX schedules_due ON schedules (paused, next_run_at);

-- The shipped defaults, paused until an operator resumes them (resuming sets next_run_at).
-- A weekly keyword refresh is not shipped: no task kind refreshes keywords.
INSERT INTO schedules (id, name, cron, timezone, target, agent, kind, input, overlap, catch_up_s,
                       paused, next_run_at, last_run_at, last_task_id, last_workflow_id,
                       created_at, updated_at)
VALUES
    ('00000000-0000-7000-8000-000000000001', 'daily AWIN sync', '0 4 * * *', 'UTC', 'task',
     'monetization', 'sync_networks', '{"days":31}', 'skip', 3600, TRUE, NULL, NULL, NULL, NULL,
     CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('00000000-0000-7000-8000-000000000002', 'nightly link-health check', '0 3 * * *', 'UTC',
     'task', 'monetization', 'check_offers', '{}', 'skip', 3600, TRUE, NULL, NULL, NULL, NULL,
     CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);
