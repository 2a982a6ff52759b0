-- The not-found redirects (Shlink's PATCH /rest/v3/domains/redirects), shared by every node: one
-- row at most. Each write bumps version; a node compares it with what it holds to know it must
-- reload, within the feed's poll interval when a notification is lost.
CREATE TABLE not_found_redirects (
    id                         smallint PRIMARY KEY CHECK (id = 1),
    base_url_redirect          text,
    regular_404_redirect       text,
    invalid_short_url_redirect text,
    version                    bigint   NOT NULL
);
