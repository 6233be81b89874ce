-- Learner progress, kept by the progress Worker (lrs/progress) as it
-- follows the statement sequence, so that reports never scan statements.
-- Everything here but progress_courses is derived: Rebuild deletes it and
-- folds every statement again.

-- The course registry: each course's structure (progress.Course as JSON).
CREATE TABLE progress_courses (
    id        text PRIMARY KEY,
    structure text NOT NULL,
    updated   timestamptz NOT NULL
);

-- The seq of the last statement folded.
CREATE TABLE progress_cursor (
    id  integer PRIMARY KEY CHECK (id = 1),
    seq bigint NOT NULL
);
INSERT INTO progress_cursor (id, seq) VALUES (1, 0);

-- What each statement tells of a learner's progress in a course, keyed by
-- the statement's id so that voiding it deletes its facts.
CREATE TABLE progress_facts (
    statement_id text NOT NULL,
    course_id    text NOT NULL,
    seq          bigint NOT NULL,
    learner      text NOT NULL,
    name         text,
    registration text NOT NULL,
    kind         text NOT NULL,
    lesson_id    text,
    question_id  text,
    score        double precision,
    success      boolean,
    response     text,
    duration_ms  bigint NOT NULL,
    at           timestamptz NOT NULL,
    group_name   text,
    group_ifi    text,
    authority    text,
    PRIMARY KEY (statement_id, course_id)
);
CREATE INDEX progress_facts_learner ON progress_facts (course_id, learner);
CREATE INDEX progress_facts_question ON progress_facts (course_id, question_id, at) WHERE question_id IS NOT NULL;

-- Each learner's progress in each course over all registrations, and per
-- registration.
CREATE TABLE progress_learners (
    course_id      text NOT NULL,
    learner        text NOT NULL,
    name           text NOT NULL,
    status         text NOT NULL,
    completed      boolean NOT NULL,
    lessons_viewed integer NOT NULL,
    score          double precision,
    latest_score   double precision,
    attempts       integer NOT NULL,
    registrations  integer NOT NULL,
    time_spent_ms  bigint NOT NULL,
    first_seen     timestamptz NOT NULL,
    last_seen      timestamptz NOT NULL,
    PRIMARY KEY (course_id, learner)
);
CREATE INDEX progress_learners_last ON progress_learners (course_id, last_seen);
CREATE INDEX progress_learners_learner ON progress_learners (learner);

CREATE TABLE progress_registrations (
    course_id      text NOT NULL,
    learner        text NOT NULL,
    registration   text NOT NULL,
    status         text NOT NULL,
    completed      boolean NOT NULL,
    lessons_viewed integer NOT NULL,
    score          double precision,
    latest_score   double precision,
    attempts       integer NOT NULL,
    time_spent_ms  bigint NOT NULL,
    first_seen     timestamptz NOT NULL,
    last_seen      timestamptz NOT NULL,
    PRIMARY KEY (course_id, learner, registration)
);

-- The lessons each learner viewed, with when first.
CREATE TABLE progress_lessons (
    course_id    text NOT NULL,
    learner      text NOT NULL,
    lesson_id    text NOT NULL,
    first_viewed timestamptz NOT NULL,
    PRIMARY KEY (course_id, learner, lesson_id)
);
CREATE INDEX progress_lessons_lesson ON progress_lessons (course_id, lesson_id);

-- The groups (context.team names and IFIs) each learner's statements named.
CREATE TABLE progress_groups (
    course_id text NOT NULL,
    grp       text NOT NULL,
    learner   text NOT NULL,
    PRIMARY KEY (course_id, grp, learner)
);
CREATE INDEX progress_groups_learner ON progress_groups (course_id, learner);
