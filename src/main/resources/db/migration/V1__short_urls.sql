-- goto's links on PostgreSQL, shared by every goto node that runs with the same -db.

-- The key counter, in leases: each nextval is the first key of a block of 1000 that one node
-- hands out alone, so no add coordinates with another node, and no key is given twice, across
-- nodes and crashes (a sequence never goes back; a crashed node's unused keys are skipped).
-- The block size lives here, not in goto, so nodes of different versions cannot overlap.
CREATE SEQUENCE short_code_leases MINVALUE 0 START WITH 0 INCREMENT BY 1000;

-- One row per short code ever used. A deleted link stays as a tombstone (deleted = true): a
-- generated or random code is never given again, and other nodes learn of the delete by its
-- change_seq. A deleted custom slug's row is taken over by the next create of that slug.
-- The columns are Shlink's names for a short URL's fields.
CREATE TABLE short_urls (
    short_code    text        PRIMARY KEY,
    origin        text        NOT NULL CHECK (origin IN ('counter', 'random', 'custom_slug')),
    long_url      text        NOT NULL,
    date_created  timestamptz NOT NULL,
    title         text,
    tags          text[]      NOT NULL DEFAULT '{}',
    valid_since   timestamptz,
    valid_until   timestamptz,
    max_visits    integer,
    crawlable     boolean     NOT NULL,
    forward_query boolean     NOT NULL,
    author        text,
    deleted       boolean     NOT NULL DEFAULT false,
    -- The change that last wrote the row: nodes replay changes after the last one they saw.
    change_seq    bigint      NOT NULL
);
CREATE INDEX short_urls_change_seq ON short_urls (change_seq);

-- The last change number handed out. A writer takes its numbers by updating this one row, so
-- the row's lock orders writers: changes commit in the order of their numbers, and a node that
-- has seen change n has seen every change before it.
CREATE TABLE short_url_changes (
    id       integer PRIMARY KEY CHECK (id = 1),
    last_seq bigint  NOT NULL
);
INSERT INTO short_url_changes (id, last_seq) VALUES (1, 0);
