-- PostgreSQL drops the foreign keys from the index rows to statements here
-- (see its 0012). SQLite keeps them: its check is a primary key lookup in
-- the same file, worth about 3% of batched ingest, and dropping a
-- constraint in SQLite means rebuilding the table. This file keeps the two
-- dialects' migration lists the same.
SELECT 1;
