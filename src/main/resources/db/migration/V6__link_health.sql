-- Each link's last health verdict (goto check, -check-interval), shared by every node: what
-- FILE.health holds beside a data file. One row per short code. A verdict belongs to one life of
-- the link (link_created) and the long URL it checked, so a slug claimed again or an edited long
-- URL shows none; each round deletes the rows of links that are gone.
-- Health is derived and re-made by every check, so it is kept apart from the links and their
-- change sequence: losing it costs one check, never a link.
CREATE TABLE link_health (
    short_code   text        PRIMARY KEY,
    link_created timestamptz NOT NULL,
    long_url     text        NOT NULL,
    state        text        NOT NULL CHECK (state IN ('ok', 'redirected', 'client-error', 'server-error', 'unreachable')),
    status       integer,               -- the final HTTP status; null when there was none (unreachable)
    location     text,                  -- where redirects ended; null when the long URL answered itself
    checked_at   timestamptz NOT NULL,
    detail       text        NOT NULL,
    -- The write that last changed the row: nodes read the rows written after the last one they saw.
    change_seq   bigint      NOT NULL
);
CREATE INDEX link_health_change_seq ON link_health (change_seq);

-- The last health change number handed out. A node's health writer takes its numbers by
-- updating this one row, whose lock orders the writers: numbers commit in order, so a node that
-- has read change n has read every change before it (as short_url_changes does for links).
CREATE TABLE link_health_changes (
    id       integer PRIMARY KEY CHECK (id = 1),
    last_seq bigint  NOT NULL
);
INSERT INTO link_health_changes (id, last_seq) VALUES (1, 0);
