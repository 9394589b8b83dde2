-- The LLM ledger: one row per call attempt, with what it cost in micro-EUR.
CREATE TABLE llm_calls (
    id                TEXT PRIMARY KEY,
    created_at        TIMESTAMP NOT NULL,
    provider          TEXT NOT NULL,
    model             TEXT NOT NULL,
    task_id           TEXT,
    agent             TEXT,
    website_id        TEXT,
    input_tokens      BIGINT NOT NULL,
    output_tokens     BIGINT NOT NULL,
    usage_estimated   BOOLEAN NOT NULL,
    latency_ms        BIGINT NOT NULL,
    outcome           TEXT NOT NULL,
    cost_micro_eur    BIGINT NOT NULL,
    priced_by_default BOOLEAN NOT NULL,
    streamed          BOOLEAN NOT NULL,
    error             TEXT
);
CREATE INDEX llm_calls_created_at ON llm_calls (created_at);

-- Daily spend limits changed at run time: scope cluster (subject ''), agent or website.
CREATE TABLE llm_budgets (
    scope              TEXT NOT NULL,
    subject            TEXT NOT NULL,
    micro_eur_per_day  BIGINT NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, subject)
);

-- What a research task found, as JSON; the search index is fed from it.
CREATE TABLE research_notes (
    id          TEXT PRIMARY KEY,
    topic       TEXT NOT NULL,
    language    TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    task_id     TEXT
);
CREATE INDEX research_notes_created_at ON research_notes (created_at);
