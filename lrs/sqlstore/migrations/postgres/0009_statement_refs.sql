-- The StatementRef rule of xAPI's statement queries: a statement whose
-- object is a StatementRef matches a filter when the statement it targets
-- does, and so on down the chain. statement_refs holds, for each such
-- statement, every id its chain reaches (kept transitive as statements
-- arrive, in any order), so a query tests the targets without recursion.
CREATE TABLE statement_refs (
    seq       bigint NOT NULL REFERENCES statements (seq),
    target_id text NOT NULL,
    PRIMARY KEY (seq, target_id)
);
CREATE INDEX statement_refs_target ON statement_refs (target_id);

-- The statements a query checks through their chain, in query order.
CREATE INDEX statements_refs ON statements (stored, seq) WHERE object_type = 'StatementRef';

WITH RECURSIVE chain (seq, target_id) AS (
    SELECT seq, object_id FROM statements WHERE object_type = 'StatementRef'
    UNION
    SELECT c.seq, t.object_id FROM chain c JOIN statements t ON t.id = c.target_id
    WHERE t.object_type = 'StatementRef'
)
INSERT INTO statement_refs (seq, target_id) SELECT seq, target_id FROM chain;
