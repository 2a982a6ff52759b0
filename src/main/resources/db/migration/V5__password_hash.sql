-- A protected link's password, as a slow salted hash in PHC string form ($argon2id$v=19$m=...),
-- never the password itself; null for a link that redirects without one. A deleted row keeps
-- none: a delete forgets the password with the link.
ALTER TABLE short_urls ADD COLUMN password_hash text
    CHECK (password_hash IS NULL OR (length(password_hash) BETWEEN 1 AND 255 AND password_hash LIKE '$%'));
