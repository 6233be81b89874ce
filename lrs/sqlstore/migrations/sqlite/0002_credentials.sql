CREATE TABLE credentials (
    key         TEXT PRIMARY KEY,
    secret_hash BLOB NOT NULL,
    name        TEXT NOT NULL,
    scopes      TEXT NOT NULL, -- JSON array of strings
    authority   TEXT NOT NULL, -- agent JSON
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
