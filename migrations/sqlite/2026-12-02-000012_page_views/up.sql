-- Page views counted by the sites' beacon, rolled up per site, page and UTC day (`YYYY-MM-DD`)
-- as they arrive: no event, cookie or address is kept.
CREATE TABLE page_views (
    website_id TEXT NOT NULL REFERENCES websites (id) ON DELETE CASCADE,
    path       TEXT NOT NULL,
    day        TEXT NOT NULL,
    views      BIGINT NOT NULL,
    PRIMARY KEY (website_id, path, day)
);
CREATE INDEX page_views_day ON page_views (day);
