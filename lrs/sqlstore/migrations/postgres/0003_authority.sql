-- The credential (its authority's IFI) that stored each statement, for the
-- statements/read/mine scope: a credential holding only it reads what it
-- wrote.
ALTER TABLE statements ADD COLUMN authority_ifi text;
CREATE INDEX statements_authority ON statements (authority_ifi, stored, seq) WHERE authority_ifi IS NOT NULL;
