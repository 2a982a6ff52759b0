-- Visits counted against a link's maxVisits, per life of its short code (the code and its
-- creation time: a deleted custom slug claimed again starts from zero). Every node counts here,
-- with one conditional upsert per visit, so a limit holds across nodes and restarts.
CREATE TABLE short_url_visit_counts (
    short_code   text        NOT NULL,
    date_created timestamptz NOT NULL,
    visits       bigint      NOT NULL,
    PRIMARY KEY (short_code, date_created)
);
