-- Imported keywords and products, the search outbox every node's index is fed from, and the
-- knowledge graph's rows. Import keys make re-imports upserts.
CREATE TABLE keywords (
    id          TEXT PRIMARY KEY NOT NULL,
    keyword     TEXT NOT NULL,
    language    TEXT NOT NULL,
    volume      BIGINT NOT NULL,
    cpc_cents   BIGINT,
    currency    TEXT,
    difficulty  BIGINT,
    niche       TEXT,
    import_key  TEXT NOT NULL UNIQUE,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX keywords_niche ON keywords (niche);

CREATE TABLE keyword_history (
    keyword_id  TEXT NOT NULL REFERENCES keywords (id) ON DELETE CASCADE,
    month       TEXT NOT NULL,
    volume      BIGINT NOT NULL,
    PRIMARY KEY (keyword_id, month)
);

CREATE TABLE products (
    id           TEXT PRIMARY KEY NOT NULL,
    network      TEXT NOT NULL,
    merchant_id  TEXT NOT NULL,
    product_id   TEXT NOT NULL,
    name         TEXT NOT NULL,
    deep_link    TEXT NOT NULL,
    price_cents  BIGINT NOT NULL,
    currency     TEXT NOT NULL,
    category     TEXT,
    in_stock     BOOLEAN,
    import_key   TEXT NOT NULL UNIQUE,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX products_category ON products (category);

-- BIGSERIAL: ids only grow, so a node's index resumes after the last id it applied. Concurrent
-- transactions may commit ids out of order; the feeder waits a moment at a gap (see outbox.rs).
CREATE TABLE search_outbox (
    id          BIGSERIAL PRIMARY KEY,
    doc_id      TEXT NOT NULL,
    doc_type    TEXT NOT NULL,
    op          TEXT NOT NULL,
    payload     TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE kg_nodes (
    id          TEXT PRIMARY KEY NOT NULL,
    kind        TEXT NOT NULL,
    label       TEXT NOT NULL,
    props       TEXT NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE kg_edges (
    from_id  TEXT NOT NULL REFERENCES kg_nodes (id) ON DELETE CASCADE,
    to_id    TEXT NOT NULL REFERENCES kg_nodes (id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,
    weight   DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (from_id, to_id, kind)
);
CREATE INDEX kg_edges_to ON kg_edges (to_id);
