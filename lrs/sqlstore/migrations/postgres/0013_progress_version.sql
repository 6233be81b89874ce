-- Every write of progress (a batch applied, a reset) counts up version, so
-- that a node can tell whether the progress it wrote last is still what is
-- stored, and read it from memory instead (sqlstore/progress_cache.go).
ALTER TABLE progress_cursor ADD COLUMN version bigint NOT NULL DEFAULT 0;
