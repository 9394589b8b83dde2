-- Money in: each sale or lead a network reports, attributed to a site, page and offer through
-- the click reference (the `/go` link's code) when it carries one, and every notification
-- received, so a repeated one changes nothing.
CREATE TABLE conversions (
    id               TEXT PRIMARY KEY NOT NULL,
    network          TEXT NOT NULL,
    external_id      TEXT NOT NULL,
    order_id         TEXT,
    status           TEXT NOT NULL,
    commission_cents BIGINT NOT NULL,
    sale_cents       BIGINT,
    currency         TEXT NOT NULL,
    link_code        TEXT,
    website_id       TEXT REFERENCES websites (id) ON DELETE SET NULL,
    page_id          TEXT,
    offer_id         TEXT,
    occurred_at      TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    UNIQUE (network, external_id)
);
CREATE INDEX conversions_website ON conversions (website_id, occurred_at);
CREATE INDEX conversions_offer ON conversions (offer_id, occurred_at);
CREATE INDEX conversions_order ON conversions (network, order_id);

CREATE TABLE conversion_events (
    network       TEXT NOT NULL,
    event_key     TEXT NOT NULL,
    event         TEXT NOT NULL,
    conversion_id TEXT,
    received_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (network, event_key)
);
