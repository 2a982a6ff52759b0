-- Visits on PostgreSQL, written in batches by every node's visits worker. No IP address is
-- stored, in any form. Counts and per-day aggregates are kept beside the raw visits, so that a
-- link's summary is one row and a dashboard reads days, never raw visits; retention drops raw
-- visits and keeps the rest. The columns are Shlink's names for a visit's fields.

-- One row per short code that was visited or deleted: which life of the code (the creation
-- time of the link) its counted visits belong to, and its counts. A visit of an older life, or
-- of a life at or before deleted_life, is ignored; a visit of a newer life starts from zero
-- under a new generation. Every write of a code's visits goes through this row, so its lock
-- orders the writers of all nodes.
CREATE TABLE visit_links (
    short_code   text        PRIMARY KEY,
    life         timestamptz,           -- null: no visits counted now
    generation   bigint      NOT NULL,  -- the raw visits and days of the current life carry it
    deleted_life timestamptz,           -- the newest deleted link of this code, or null
    total        bigint      NOT NULL DEFAULT 0,
    bots         bigint      NOT NULL DEFAULT 0,
    -- The counts before the row's last write: an upsert returns them, so that the totals
    -- below learn what the write changed (PostgreSQL's RETURNING shows only new values).
    before_total bigint      NOT NULL DEFAULT 0,
    before_bots  bigint      NOT NULL DEFAULT 0
);
CREATE SEQUENCE visit_generations;

CREATE TABLE visits (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    short_code       text,                 -- null for an orphan visit
    generation       bigint,               -- with short_code, the life it was counted in
    link_created     timestamptz,          -- the visited link's creation time; null for orphans
    type             text        NOT NULL CHECK (type IN ('valid_short_url', 'invalid_short_url', 'base_url', 'regular_404')),
    date             timestamptz NOT NULL,
    potential_bot    boolean     NOT NULL,
    referer          text        NOT NULL,
    user_agent       text        NOT NULL,
    visited_path     text        NOT NULL,
    redirect_url     text,
    browser          text        NOT NULL,
    operating_system text        NOT NULL,
    referer_host     text        NOT NULL
);
-- Pages newest first: of a link's life, of orphans, of every link; retention by date.
CREATE INDEX visits_of_link ON visits (short_code, generation, date DESC, id DESC) WHERE short_code IS NOT NULL;
CREATE INDEX visits_orphans ON visits (date DESC, id DESC) WHERE short_code IS NULL;
CREATE INDEX visits_by_date ON visits (date DESC, id DESC);

-- Per-day counts of a link's life (short_code, generation), or of all links (short_code '',
-- generation: the writing node's slot, so that nodes never wait for each other's rows).
CREATE TABLE visit_days (
    short_code text    NOT NULL,
    generation bigint  NOT NULL,
    day        date    NOT NULL,
    total      bigint  NOT NULL,
    bots       bigint  NOT NULL,
    PRIMARY KEY (short_code, generation, day)
);

-- Per-day visits by referer host (r), browser (b) and operating system (o); about 64 names per
-- day and dimension, the rest under '(other)', so junk headers cannot grow it without bound.
CREATE TABLE visit_day_names (
    short_code text    NOT NULL,
    generation bigint  NOT NULL,
    day        date    NOT NULL,
    dimension  char(1) NOT NULL CHECK (dimension IN ('r', 'b', 'o')),
    name       text    NOT NULL,
    visits     bigint  NOT NULL,
    PRIMARY KEY (short_code, generation, day, dimension, name)
);

-- Visits of all links and orphan visits, in one row per slot: each node adds to its own slot,
-- and the totals are the sum of the 16 rows.
CREATE TABLE visit_totals (
    slot          smallint PRIMARY KEY CHECK (slot BETWEEN 0 AND 15),
    links_total   bigint   NOT NULL,
    links_bots    bigint   NOT NULL,
    orphans_total bigint   NOT NULL,
    orphans_bots  bigint   NOT NULL
);
INSERT INTO visit_totals SELECT s, 0, 0, 0, 0 FROM generate_series(0, 15) AS s;
