-- The leads funnel and email. A lead keeps the consent text it agreed to and when; its
-- confirm/unsubscribe token is stored only as a SHA-256 hash. Every step of a lead is an event,
-- and deleting a lead deletes its events and the mail sent to it. Mail is written to an outbox
-- first and sent from there; suppressed addresses (unsubscribed) are never mailed again.
ALTER TABLE leads ADD COLUMN consent_text TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN consented_at TIMESTAMP;
ALTER TABLE leads ADD COLUMN token_hash TEXT;
ALTER TABLE leads ADD COLUMN confirmed_at TIMESTAMP;
ALTER TABLE leads ADD COLUMN unsubscribed_at TIMESTAMP;
CREATE UNIQUE INDEX leads_token ON leads (token_hash);
CREATE INDEX leads_website ON leads (website_id, id);

CREATE TABLE lead_events (
    id         TEXT PRIMARY KEY NOT NULL,
    lead_id    TEXT NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    detail     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX lead_events_lead ON lead_events (lead_id, created_at);

CREATE TABLE email_messages (
    id                  TEXT PRIMARY KEY NOT NULL,
    to_address          TEXT NOT NULL,
    subject             TEXT NOT NULL,
    text_body           TEXT NOT NULL,
    purpose             TEXT NOT NULL,
    lead_id             TEXT REFERENCES leads (id) ON DELETE CASCADE,
    unsubscribe_url     TEXT,
    status              TEXT NOT NULL,
    provider            TEXT,
    provider_message_id TEXT,
    attempts            BIGINT NOT NULL,
    next_attempt_at     TIMESTAMP NOT NULL,
    last_error          TEXT,
    created_at          TIMESTAMP NOT NULL,
    sent_at             TIMESTAMP
);
CREATE INDEX email_messages_due ON email_messages (status, next_attempt_at);
CREATE INDEX email_messages_recent ON email_messages (to_address, purpose, created_at);

CREATE TABLE email_suppressions (
    address    TEXT PRIMARY KEY NOT NULL,
    reason     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
