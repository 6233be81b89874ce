-- Learner progress, kept by the progress Worker (lrs/progress) as it
-- follows the statement sequence, so that reports never scan statements.
-- Everything here but progress_courses is derived: Rebuild deletes it and
-- folds every statement again.

-- The course registry: each course's structure (progress.Course as JSON).
CREATE TABLE progress_courses (
    id        TEXT PRIMARY KEY,
    structure TEXT NOT NULL,
    updated   TEXT NOT NULL
);

-- The seq of the last statement folded.
CREATE TABLE progress_cursor (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT INTO progress_cursor (id, seq) VALUES (1, 0);

-- What each statement tells of a learner's progress in a course, keyed by
-- the statement's id so that voiding it deletes its facts.
CREATE TABLE progress_facts (
    statement_id TEXT NOT NULL,
    course_id    TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    learner      TEXT NOT NULL,
    name         TEXT,
    registration TEXT NOT NULL,
    kind         TEXT NOT NULL,
    lesson_id    TEXT,
    question_id  TEXT,
    score        REAL,
    success      INTEGER,
    response     TEXT,
    duration_ms  INTEGER NOT NULL,
    at           TEXT NOT NULL,
    group_name   TEXT,
    group_ifi    TEXT,
    authority    TEXT,
    PRIMARY KEY (statement_id, course_id)
);
CREATE INDEX progress_facts_learner ON progress_facts (course_id, learner);
CREATE INDEX progress_facts_question ON progress_facts (course_id, question_id, at) WHERE question_id IS NOT NULL;

-- Each learner's progress in each course over all registrations, and per
-- registration.
CREATE TABLE progress_learners (
    course_id      TEXT NOT NULL,
    learner        TEXT NOT NULL,
    name           TEXT NOT NULL,
    status         TEXT NOT NULL,
    completed      INTEGER NOT NULL,
    lessons_viewed INTEGER NOT NULL,
    score          REAL,
    latest_score   REAL,
    attempts       INTEGER NOT NULL,
    registrations  INTEGER NOT NULL,
    time_spent_ms  INTEGER NOT NULL,
    first_seen     TEXT NOT NULL,
    last_seen      TEXT NOT NULL,
    PRIMARY KEY (course_id, learner)
);
CREATE INDEX progress_learners_last ON progress_learners (course_id, last_seen);
CREATE INDEX progress_learners_learner ON progress_learners (learner);

CREATE TABLE progress_registrations (
    course_id      TEXT NOT NULL,
    learner        TEXT NOT NULL,
    registration   TEXT NOT NULL,
    status         TEXT NOT NULL,
    completed      INTEGER NOT NULL,
    lessons_viewed INTEGER NOT NULL,
    score          REAL,
    latest_score   REAL,
    attempts       INTEGER NOT NULL,
    time_spent_ms  INTEGER NOT NULL,
    first_seen     TEXT NOT NULL,
    last_seen      TEXT NOT NULL,
    PRIMARY KEY (course_id, learner, registration)
);

-- The lessons each learner viewed, with when first.
CREATE TABLE progress_lessons (
    course_id    TEXT NOT NULL,
    learner      TEXT NOT NULL,
    lesson_id    TEXT NOT NULL,
    first_viewed TEXT NOT NULL,
    PRIMARY KEY (course_id, learner, lesson_id)
) WITHOUT ROWID;
CREATE INDEX progress_lessons_lesson ON progress_lessons (course_id, lesson_id);

-- The groups (context.team names and IFIs) each learner's statements named.
CREATE TABLE progress_groups (
    course_id TEXT NOT NULL,
    grp       TEXT NOT NULL,
    learner   TEXT NOT NULL,
    PRIMARY KEY (course_id, grp, learner)
) WITHOUT ROWID;
CREATE INDEX progress_groups_learner ON progress_groups (course_id, learner);
