-- State, Activity Profile and Agent Profile documents: any bytes, with the
-- Content-Type they were sent with and their SHA-1 (the ETag). A document is
-- found by key_hash, the SHA-256 of (kind, activity_id, agent_ifi,
-- registration, doc_id), and listed by scope_hash, the SHA-256 of (kind,
-- activity_id, agent_ifi): fixed-size keys whatever the length of the ids,
-- so that no activity or document id is too long for a B-tree entry (about
-- 2.7 kB). Absent parts are '' so that they take part in the keys.
CREATE TABLE documents (
    key_hash     bytea PRIMARY KEY,
    scope_hash   bytea NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('state', 'activity_profile', 'agent_profile')),
    activity_id  text NOT NULL,
    agent_ifi    text NOT NULL,
    registration text NOT NULL,
    doc_id       text NOT NULL,
    content_type text NOT NULL,
    content      bytea NOT NULL,
    sha1         text NOT NULL,
    updated      timestamptz NOT NULL
) WITH (fillfactor = 90);

-- The scope index leaves out updated, so that a PUT changes no indexed
-- column and PostgreSQL can update the row in place (a HOT update, no
-- index writes) in the room fillfactor leaves. A scope holds few
-- documents; since filters them as they are read.
CREATE INDEX documents_scope ON documents (scope_hash);
