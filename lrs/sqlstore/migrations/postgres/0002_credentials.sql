CREATE TABLE credentials (
    key         text PRIMARY KEY,
    secret_hash bytea NOT NULL,
    name        text NOT NULL,
    scopes      text NOT NULL, -- JSON array of strings
    authority   text NOT NULL, -- agent JSON
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
