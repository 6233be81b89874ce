-- State, Activity Profile and Agent Profile documents: any bytes, with the
-- Content-Type they were sent with and their SHA-1 (the ETag). A document is
-- found by key_hash, the SHA-256 of (kind, activity_id, agent_ifi,
-- registration, doc_id), and listed by scope_hash, the SHA-256 of (kind,
-- activity_id, agent_ifi): fixed-size keys whatever the length of the ids,
-- so that no activity or document id is too long for an index. Absent
-- parts are '' so that they take part in the keys. A rowid table, not
-- WITHOUT ROWID: documents may be a megabyte, and large rows belong in
-- overflow pages outside the key's B-tree.
CREATE TABLE documents (
    key_hash     BLOB NOT NULL UNIQUE,
    scope_hash   BLOB NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('state', 'activity_profile', 'agent_profile')),
    activity_id  TEXT NOT NULL,
    agent_ifi    TEXT NOT NULL,
    registration TEXT NOT NULL,
    doc_id       TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content      BLOB NOT NULL,
    sha1         TEXT NOT NULL,
    updated      TEXT NOT NULL -- 2006-01-02T15:04:05.000000Z, sorts as text
);

-- The scope index leaves out updated: a PUT then changes no indexed column
-- and writes one table page, not two index entries as well. A scope holds
-- few documents; since filters them as they are read.
CREATE INDEX documents_scope ON documents (scope_hash);
