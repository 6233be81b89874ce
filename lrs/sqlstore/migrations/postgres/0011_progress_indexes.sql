-- What the progress Worker needs to fold a learner's new statements into
-- their stored progress without reading their earlier facts: each
-- registration's lessons viewed and the state of its sessions
-- (progress.Session), as JSON. NULL for progress stored before: the Worker
-- folds those learners' facts again.
ALTER TABLE progress_registrations ADD COLUMN fold_state TEXT;
