-- What the progress Worker needs to fold a learner's new statements into
-- their stored progress without reading their earlier facts: each
-- registration's lessons viewed and the state of its sessions
-- (progress.Session), as JSON. NULL for progress stored before: the Worker
-- folds those learners' facts again.
ALTER TABLE progress_registrations ADD COLUMN fold_state TEXT;

-- The questions report without filters reads these counts, kept as facts
-- are inserted and deleted, instead of every answer of the course: answers
-- per question and wrong response (attempts, successes, failures; the
-- response is '' but for wrong answers, the only ones listed), and answers
-- per question and learner (for how many learners answered).
CREATE TABLE progress_question_responses (
    course_id   TEXT NOT NULL,
    question_id TEXT NOT NULL,
    response    TEXT NOT NULL,
    attempts    INTEGER NOT NULL,
    correct     INTEGER NOT NULL,
    wrong       INTEGER NOT NULL,
    PRIMARY KEY (course_id, question_id, response)
) WITHOUT ROWID;
CREATE TABLE progress_question_learners (
    course_id   TEXT NOT NULL,
    question_id TEXT NOT NULL,
    learner     TEXT NOT NULL,
    attempts    INTEGER NOT NULL,
    PRIMARY KEY (course_id, question_id, learner)
) WITHOUT ROWID;
INSERT INTO progress_question_responses (course_id, question_id, response, attempts, correct, wrong)
SELECT course_id, question_id, CASE WHEN success = FALSE THEN COALESCE(response, '') ELSE '' END, COUNT(*),
    SUM(CASE WHEN success THEN 1 ELSE 0 END), SUM(CASE WHEN success = FALSE THEN 1 ELSE 0 END)
FROM progress_facts WHERE kind = 'answer'
GROUP BY course_id, question_id, CASE WHEN success = FALSE THEN COALESCE(response, '') ELSE '' END;
INSERT INTO progress_question_learners (course_id, question_id, learner, attempts)
SELECT course_id, question_id, learner, COUNT(*) FROM progress_facts WHERE kind = 'answer' GROUP BY course_id, question_id, learner;

