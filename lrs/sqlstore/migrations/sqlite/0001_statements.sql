-- Statements are stored once, as the exact JSON the LRS returns with
-- format=exact, beside the columns that queries filter on. seq is the rowid:
-- AUTOINCREMENT keeps it strictly increasing and never reused. Queries
-- return statements in (stored, seq) order, so every index a query walks
-- ends with (stored, seq): an equality filter, a since/until range on stored
-- and a keyset cursor are one index range, in either direction, with no sort.
CREATE TABLE statements (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    stored       TEXT NOT NULL, -- 2006-01-02T15:04:05.000000Z, sorts as text
    statement    TEXT NOT NULL,
    actor_ifi    TEXT,
    verb_id      TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    registration TEXT,
    voids_id     TEXT,
    voided       INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1))
);

-- Every SQLite index ends with the rowid, so (verb_id, stored) is
-- (verb_id, stored, seq). actor_ifi has no index: the agent filter must also
-- match Group members and agent objects, and goes through statement_agents.
CREATE INDEX statements_verb ON statements (verb_id, stored);
CREATE INDEX statements_object ON statements (object_id, stored);
CREATE INDEX statements_registration ON statements (registration, stored) WHERE registration IS NOT NULL;
CREATE INDEX statements_stored ON statements (stored);

-- What the agent, related_agents and related_activities filters match, one
-- row per statement and value, with the statement's stored time so that
-- these tables can drive a query in (stored, seq) order. direct marks the
-- agents the agent filter matches without related_agents (actor, agent
-- object, their members).
CREATE TABLE statement_agents (
    ifi    TEXT NOT NULL,
    stored TEXT NOT NULL,
    seq    INTEGER NOT NULL REFERENCES statements (seq),
    direct INTEGER NOT NULL CHECK (direct IN (0, 1)),
    PRIMARY KEY (ifi, stored, seq)
) WITHOUT ROWID;

CREATE TABLE statement_activities (
    activity_id TEXT NOT NULL,
    stored      TEXT NOT NULL,
    seq         INTEGER NOT NULL REFERENCES statements (seq),
    PRIMARY KEY (activity_id, stored, seq)
) WITHOUT ROWID;

-- Every id a voiding statement names, stored or not, so that a statement
-- that arrives after the statement voiding it is stored voided. Checking a
-- batch is a primary key lookup, whatever the planner knows of the tables.
CREATE TABLE voided_ids (
    id TEXT PRIMARY KEY
);

-- Attachment payloads, shared by every statement that sends the same bytes.
CREATE TABLE attachments (
    sha2         TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    data         BLOB NOT NULL
);
