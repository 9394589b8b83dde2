-- The website factory: a site's language, failure reason, pipeline and published build; its
-- pages (a person's edit is marked and never overwritten); its builds; the offers catalogue;
-- monetised links (`/go/{code}`) and the clicks on them.
ALTER TABLE websites ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE websites ADD COLUMN status_reason TEXT;
ALTER TABLE websites ADD COLUMN workflow_id TEXT;
ALTER TABLE websites ADD COLUMN published_build_id TEXT;
CREATE UNIQUE INDEX websites_domain ON websites (domain);
CREATE INDEX websites_niche ON websites (niche);

CREATE TABLE pages (
    id               TEXT PRIMARY KEY NOT NULL,
    website_id       TEXT NOT NULL REFERENCES websites (id) ON DELETE CASCADE,
    slug             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    article_type     TEXT,
    keyword          TEXT NOT NULL,
    category         TEXT,
    title            TEXT NOT NULL,
    meta_description TEXT NOT NULL,
    markdown         TEXT NOT NULL,
    products         TEXT NOT NULL DEFAULT '[]',
    faq              TEXT NOT NULL DEFAULT '[]',
    position         INTEGER NOT NULL,
    ai_generated     BOOLEAN NOT NULL,
    monetised        BOOLEAN NOT NULL DEFAULT 0,
    written          BOOLEAN NOT NULL DEFAULT 0,
    signature        TEXT,
    audit            TEXT,
    edited_at        TIMESTAMP,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    UNIQUE (website_id, slug)
);

CREATE TABLE site_builds (
    id           TEXT PRIMARY KEY NOT NULL,
    website_id   TEXT NOT NULL REFERENCES websites (id) ON DELETE CASCADE,
    status       TEXT NOT NULL,
    pages        INTEGER NOT NULL,
    files        INTEGER NOT NULL,
    bytes        INTEGER NOT NULL,
    gate_passed  BOOLEAN,
    report       TEXT NOT NULL DEFAULT '{}',
    created_at   TIMESTAMP NOT NULL,
    published_at TIMESTAMP
);
CREATE INDEX site_builds_website ON site_builds (website_id, id);

CREATE TABLE offers (
    id            TEXT PRIMARY KEY NOT NULL,
    network       TEXT NOT NULL,
    niche         TEXT NOT NULL,
    name          TEXT NOT NULL,
    url           TEXT NOT NULL,
    advertiser_id TEXT,
    product_id    TEXT,
    price_cents   INTEGER,
    currency      TEXT,
    status        TEXT NOT NULL DEFAULT 'active',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (niche, network, url)
);

CREATE TABLE links (
    code        TEXT PRIMARY KEY NOT NULL,
    website_id  TEXT NOT NULL REFERENCES websites (id) ON DELETE CASCADE,
    page_id     TEXT NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    offer_id    TEXT NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    target_url  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (page_id, offer_id)
);
CREATE INDEX links_website ON links (website_id);

CREATE TABLE clicks (
    id          TEXT PRIMARY KEY NOT NULL,
    code        TEXT NOT NULL,
    website_id  TEXT NOT NULL REFERENCES websites (id) ON DELETE CASCADE,
    page_id     TEXT NOT NULL,
    offer_id    TEXT NOT NULL,
    referrer    TEXT,
    clicked_at  TIMESTAMP NOT NULL
);
CREATE INDEX clicks_website ON clicks (website_id, clicked_at);
