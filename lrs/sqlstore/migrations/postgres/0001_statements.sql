-- Statements are stored once, as the exact JSON the LRS returns with
-- format=exact, beside the columns that queries filter on. The JSON is text,
-- not jsonb: jsonb reorders keys, drops whitespace and rewrites numbers, and
-- format=exact must return the bytes that were stored (cast to jsonb in
-- ad-hoc queries). Queries return statements in (stored, seq) order, so
-- every index a query walks ends with (stored, seq): an equality filter, a
-- since/until range on stored and a keyset cursor are one index range, in
-- either direction, with no sort.
CREATE TABLE statements (
    seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id           text NOT NULL UNIQUE,
    stored       timestamptz NOT NULL,
    statement    text NOT NULL,
    actor_ifi    text,
    verb_id      text NOT NULL,
    object_type  text NOT NULL,
    object_id    text NOT NULL,
    registration text,
    voids_id     text,
    voided       boolean NOT NULL DEFAULT false
);

-- actor_ifi has no index: the agent filter must also match Group members
-- and agent objects, and goes through statement_agents.
CREATE INDEX statements_verb ON statements (verb_id, stored, seq);
CREATE INDEX statements_object ON statements (object_id, stored, seq);
CREATE INDEX statements_registration ON statements (registration, stored, seq) WHERE registration IS NOT NULL;
CREATE INDEX statements_stored ON statements (stored, seq);

-- What the agent, related_agents and related_activities filters match, one
-- row per statement and value, with the statement's stored time so that
-- these tables can drive a query in (stored, seq) order. direct marks the
-- agents the agent filter matches without related_agents (actor, agent
-- object, their members).
CREATE TABLE statement_agents (
    ifi    text NOT NULL,
    stored timestamptz NOT NULL,
    seq    bigint NOT NULL REFERENCES statements (seq),
    direct boolean NOT NULL,
    PRIMARY KEY (ifi, stored, seq) INCLUDE (direct)
);

CREATE TABLE statement_activities (
    activity_id text NOT NULL,
    stored      timestamptz NOT NULL,
    seq         bigint NOT NULL REFERENCES statements (seq),
    PRIMARY KEY (activity_id, stored, seq)
);

-- Every id a voiding statement names, stored or not, so that a statement
-- that arrives after the statement voiding it is stored voided. Checking a
-- batch is a primary key lookup, whatever the planner knows of the tables.
CREATE TABLE voided_ids (
    id text PRIMARY KEY
);

-- Attachment payloads, shared by every statement that sends the same bytes.
CREATE TABLE attachments (
    sha2         text PRIMARY KEY,
    content_type text NOT NULL,
    data         bytea NOT NULL
);
