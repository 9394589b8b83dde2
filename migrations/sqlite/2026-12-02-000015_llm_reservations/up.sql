-- What calls in flight may still cost: a call's worst case is reserved against the budgets
-- before it is made, in the same transaction as the check, and replaced by the ledger row
-- when it ends. A reservation of a node that died lapses at expires_at.
CREATE TABLE llm_reservations (
    id          TEXT PRIMARY KEY,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    agent       TEXT,
    website_id  TEXT,
    micro_eur   BIGINT NOT NULL
);
CREATE INDEX llm_reservations_expires_at ON llm_reservations (expires_at);

-- Token buckets kept in the database, for the limits every node must share when no Redis
-- is configured (the LLM providers' request and token rates).
CREATE TABLE rate_buckets (
    key         TEXT PRIMARY KEY,
    tokens      REAL NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
