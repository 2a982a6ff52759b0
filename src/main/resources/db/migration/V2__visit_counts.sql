-- Visits counted against a link's maxVisits, per life of its short code (the code and its
-- creation time: a deleted custom slug claimed again starts from zero). Every node counts here,
-- with one conditional upsert per visit, so a limit holds across nodes and restarts.
CREATE TABLE short_url_visit_counts (
    short_code   text        NOT NULL,
    date_created timestamptz NOT NULL,
    visits       bigint      NOT NULL,
    PRIMARY KEY (short_code, date_created)
);

-- A deleted link's count goes with it, in the transaction that deletes it: a custom slug claimed
-- again in the same second (creation times are kept to the second) starts from zero.
CREATE FUNCTION forget_visit_counts() RETURNS trigger AS $$
BEGIN
    DELETE FROM short_url_visit_counts WHERE short_code = NEW.short_code;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER short_urls_forget_visit_counts AFTER UPDATE OF deleted ON short_urls
    FOR EACH ROW WHEN (NEW.deleted AND NOT OLD.deleted) EXECUTE FUNCTION forget_visit_counts();
