-- The REST API's keys, shared by every node: a key made through one node is taken by all. Only
-- the SHA-256 of each key is stored, never the key. Keys are never deleted, and a disabled key
-- is never enabled again (as Shlink's), so the number of keys and of disabled keys together
-- change with every write: a node compares them to what it holds to know it must reload.
CREATE TABLE api_keys (
    id         text        PRIMARY KEY,
    name       text        NOT NULL UNIQUE,
    role       text        NOT NULL CHECK (role IN ('admin', 'author')),
    created_at timestamptz NOT NULL,
    expires_at timestamptz,
    enabled    boolean     NOT NULL,
    key_hash   bytea       NOT NULL UNIQUE CHECK (octet_length(key_hash) = 32),
    position   bigint      GENERATED ALWAYS AS IDENTITY UNIQUE -- creation order, as goto lists them
);
