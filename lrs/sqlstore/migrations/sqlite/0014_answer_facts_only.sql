-- Fact rows are kept for answers only, which the questions and responses
-- reports read; a learner folded again is folded from their statements.
-- What the reports' authority filter read of the other facts, which
-- credentials stored each learner's statements, is kept with the learner's
-- progress, as progress_groups is.
CREATE TABLE progress_authorities (
    course_id TEXT NOT NULL,
    authority TEXT NOT NULL,
    learner   TEXT NOT NULL,
    PRIMARY KEY (course_id, authority, learner)
) WITHOUT ROWID;
CREATE INDEX progress_authorities_learner ON progress_authorities (course_id, learner);
INSERT INTO progress_authorities (course_id, authority, learner)
SELECT DISTINCT course_id, authority, learner FROM progress_facts WHERE authority IS NOT NULL;
DELETE FROM progress_facts WHERE kind <> 'answer';
