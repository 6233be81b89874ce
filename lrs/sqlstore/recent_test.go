package sqlstore

import (
	"context"
	"fmt"
	"testing"

	"github.com/coursekit/coursekit/lrs"
)

// voiding returns a statement numbered i that voids the statement with id.
func voiding(i int, id string) lrs.Statement {
	st := benchStatements(1, i)[0]
	st.VerbID, st.ObjectType, st.ObjectID, st.VoidsID = "http://adlnet.gov/expapi/verbs/voided", "StatementRef", id, id
	st.RelatedActivities = nil
	st.JSON = fmt.Appendf(nil, `{"id":%q,"actor":{"mbox":"mailto:admin@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},`+
		`"object":{"objectType":"StatementRef","id":%q}}`, st.ID, id)
	return st
}

// The worker reads the statements this process committed from memory, and
// the others (another node's, those committed before it first asked) from
// the database; either way it gets what the database holds.
func TestStatementsAfterRecent(t *testing.T) {
	for _, db := range testDatabases {
		t.Run(db.name, func(t *testing.T) {
			ctx := context.Background()
			dsn := db.dsn(t)
			node, other := mustOpen(t, dsn), mustOpen(t, dsn)
			insert := func(s *Store, stmts ...lrs.Statement) {
				t.Helper()
				if err := s.InsertStatements(ctx, stmts, nil); err != nil {
					t.Fatal(err)
				}
			}
			sts := benchStatements(8, 1)
			insert(node, sts[0]) // before the worker first asks: not kept
			if got, err := node.Progress().StatementsAfter(ctx, 0, 100); err != nil || len(got) != 1 {
				t.Fatalf("StatementsAfter = %d statements, %v; want 1", len(got), err)
			}
			insert(node, sts[1], sts[2])
			insert(other, sts[3])
			insert(node, voiding(100, sts[1].ID))    // voids a statement kept in memory
			insert(node, voiding(101, sts[7].ID))    // voids one not stored yet...
			insert(node, sts[4], sts[7])             // ...which is voided as it is stored
			insert(node, sts[2], sts[5])             // sts[2] is stored already: only sts[5] is new
			if n := len(node.recent.stmts); n != 7 { // sts 1, 2, 4, 5, 7 and the two voiding ones
				t.Errorf("node keeps %d statements, want 7", n)
			}

			fromDB, err := mustOpen(t, dsn).Progress().StatementsAfter(ctx, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			got, err := node.Progress().StatementsAfter(ctx, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(fromDB) || len(got) != 9 {
				t.Fatalf("StatementsAfter = %d statements, want %d, as read from the database: 9", len(got), len(fromDB))
			}
			for i, want := range fromDB {
				g := got[i]
				if want.ID == sts[1].ID {
					// Voided after it was committed: the worker learns it
					// from the voiding statement, later in seq order.
					if !want.Voided || g.Voided {
						t.Errorf("%s: voided %t, database %t; want false (from memory), true", g.ID, g.Voided, want.Voided)
					}
					want.Voided = false
				}
				if g.ID != want.ID || g.Seq != want.Seq || string(g.JSON) != string(want.JSON) || !g.Stored.Equal(want.Stored) ||
					g.Voided != want.Voided || g.ActorIFI != want.ActorIFI || g.VerbID != want.VerbID ||
					g.ObjectType != want.ObjectType || g.ObjectID != want.ObjectID || g.Registration != want.Registration ||
					g.VoidsID != want.VoidsID || g.AuthorityIFI != want.AuthorityIFI {
					t.Errorf("statement %d = %+v\nwant %+v", i, g, want)
				}
			}
			if i := len(got) - 2; got[i].ID != sts[7].ID || !got[i].Voided {
				t.Errorf("statement %d = %s voided %t, want %s voided", i, got[i].ID, got[i].Voided, sts[7].ID)
			}

			// What the worker has read past is let go; the limit holds.
			if got, err := node.Progress().StatementsAfter(ctx, got[3].Seq, 2); err != nil || len(got) != 2 || got[0].ID != fromDB[4].ID {
				t.Errorf("StatementsAfter(4th, 2) = %d statements, %v; want 2 from the 5th", len(got), err)
			}
			if n := len(node.recent.stmts); n != 5 {
				t.Errorf("node keeps %d statements after the worker read past 4, want 5", n)
			}
		})
	}
}
