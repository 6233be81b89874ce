-- What the LRS has learned from statements sent with the define scope: each
-- activity's canonical definition (lrs.MergeDefinition's JSON) and the
-- names agents were given, for the Activities and Agents resources.
CREATE TABLE activities (
    id         TEXT PRIMARY KEY,
    definition TEXT NOT NULL,
    updated    TEXT NOT NULL
);

CREATE TABLE agent_names (
    ifi  TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (ifi, name)
) WITHOUT ROWID;
