-- What the LRS has learned from statements sent with the define scope: each
-- activity's canonical definition (lrs.MergeDefinition's JSON, text like
-- statements) and the names agents were given, for the Activities and
-- Agents resources.
CREATE TABLE activities (
    id         text PRIMARY KEY,
    definition text NOT NULL,
    updated    timestamptz NOT NULL
);

CREATE TABLE agent_names (
    ifi  text NOT NULL,
    name text NOT NULL,
    PRIMARY KEY (ifi, name)
);
