-- coursekit serve's own cmi5 launcher (lrs/cmi5). The token a launch hands
-- the AU is a credential that expires and is restricted to its session.
ALTER TABLE credentials ADD COLUMN expires_at timestamptz;
ALTER TABLE credentials ADD COLUMN restriction text; -- lrs.Restriction JSON; NULL for none

-- The AUs launched: the activity id the launcher made up for each, used for
-- every launch of it (cmi5 §8.1.5), where it is served, and its course
-- structure's values, so that a later launch may name only the AU or its
-- course.
CREATE TABLE cmi5_aus (
    au_id             text PRIMARY KEY, -- the AU's id (publisher id) in cmi5.xml
    activity_id       text NOT NULL UNIQUE,
    course_id         text NOT NULL,
    url               text NOT NULL,
    move_on           text NOT NULL,
    mastery_score     double precision, -- NULL: none
    launch_parameters text NOT NULL,
    launch_method     text NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX cmi5_aus_course ON cmi5_aus (course_id);

-- A registration is one learner's enrolment in one course (cmi5 §9.6.1).
CREATE TABLE cmi5_registrations (
    registration text PRIMARY KEY,
    course_id    text NOT NULL,
    agent_ifi    text NOT NULL,
    created_at   timestamptz NOT NULL
);

-- A session is one launch of an AU. Its fetch URL's one-time code is kept
-- as a SHA-256 hash; fetched_at is set once, by the fetch that gets the
-- token, in the transaction that stores the token's credential.
CREATE TABLE cmi5_sessions (
    session_id     text PRIMARY KEY,
    registration   text NOT NULL REFERENCES cmi5_registrations (registration),
    au_id          text NOT NULL REFERENCES cmi5_aus (au_id),
    activity_id    text NOT NULL,
    agent_ifi      text NOT NULL,
    launch_mode    text NOT NULL,
    fetch_hash     bytea NOT NULL UNIQUE,
    fetch_expires  timestamptz NOT NULL,
    fetched_at     timestamptz,
    credential_key text,
    created_at     timestamptz NOT NULL
);
CREATE INDEX cmi5_sessions_registration ON cmi5_sessions (registration);
