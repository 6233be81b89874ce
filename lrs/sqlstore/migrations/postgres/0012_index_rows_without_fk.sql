-- The index rows of a statement (statement_agents, statement_activities,
-- statement_refs) are written only with the statement, in its transaction,
-- and statements are never deleted, so the foreign keys to statements
-- guarded nothing the store does not already guarantee. Each one cost a
-- referential-integrity trigger per index row, five or so per statement:
-- dropping them took batched ingest from 14,100 to 15,900-16,400
-- statements/s (docs/performance.md).
ALTER TABLE statement_agents DROP CONSTRAINT statement_agents_seq_fkey;
ALTER TABLE statement_activities DROP CONSTRAINT statement_activities_seq_fkey;
ALTER TABLE statement_refs DROP CONSTRAINT statement_refs_seq_fkey;
