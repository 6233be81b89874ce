-- coursekit serve's own cmi5 launcher (lrs/cmi5). The token a launch hands
-- the AU is a credential that expires and is restricted to its session.
ALTER TABLE credentials ADD COLUMN expires_at TEXT;
ALTER TABLE credentials ADD COLUMN restriction TEXT; -- lrs.Restriction JSON; NULL for none

-- The AUs launched: the activity id the launcher made up for each, used for
-- every launch of it (cmi5 §8.1.5), where it is served, and its course
-- structure's values, so that a later launch may name only the AU or its
-- course.
CREATE TABLE cmi5_aus (
    au_id             TEXT PRIMARY KEY, -- the AU's id (publisher id) in cmi5.xml
    activity_id       TEXT NOT NULL UNIQUE,
    course_id         TEXT NOT NULL,
    url               TEXT NOT NULL,
    move_on           TEXT NOT NULL,
    mastery_score     REAL,             -- NULL: none
    launch_parameters TEXT NOT NULL,
    launch_method     TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX cmi5_aus_course ON cmi5_aus (course_id);

-- A registration is one learner's enrolment in one course (cmi5 §9.6.1).
CREATE TABLE cmi5_registrations (
    registration TEXT PRIMARY KEY,
    course_id    TEXT NOT NULL,
    agent_ifi    TEXT NOT NULL,
    created_at   TEXT NOT NULL
);

-- A session is one launch of an AU. Its fetch URL's one-time code is kept
-- as a SHA-256 hash; fetched_at is set once, by the fetch that gets the
-- token, in the transaction that stores the token's credential.
CREATE TABLE cmi5_sessions (
    session_id     TEXT PRIMARY KEY,
    registration   TEXT NOT NULL REFERENCES cmi5_registrations (registration),
    au_id          TEXT NOT NULL REFERENCES cmi5_aus (au_id),
    activity_id    TEXT NOT NULL,
    agent_ifi      TEXT NOT NULL,
    launch_mode    TEXT NOT NULL,
    fetch_hash     BLOB NOT NULL UNIQUE,
    fetch_expires  TEXT NOT NULL,
    fetched_at     TEXT,
    credential_key TEXT,
    created_at     TEXT NOT NULL
);
CREATE INDEX cmi5_sessions_registration ON cmi5_sessions (registration);
