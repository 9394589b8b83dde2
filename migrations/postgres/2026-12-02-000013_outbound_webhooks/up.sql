-- Outbound event webhooks (Standard Webhooks): who is told about which events, and an outbox of
-- deliveries that survives restarts. A delivery's id is derived from its event, so the same
-- event queued by several nodes is delivered once per subscription.
CREATE TABLE webhook_subscriptions (
    id              TEXT PRIMARY KEY NOT NULL,
    url             TEXT NOT NULL,
    events          TEXT NOT NULL,
    secret          TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    failing_since   TIMESTAMP,
    disabled_at     TIMESTAMP,
    disabled_reason TEXT
);

CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY NOT NULL,
    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    event_type      TEXT NOT NULL,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        BIGINT NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    last_status     BIGINT,
    last_error      TEXT,
    created_at      TIMESTAMP NOT NULL,
    delivered_at    TIMESTAMP
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, created_at);
