package sqlstore

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/coursekit/coursekit/lrs"
)

// A group whose merged batch fails is stored again call by call: the calls
// at fault fail alone and the others are committed.
func TestCommitGroupIsolatesFailingCalls(t *testing.T) {
	for _, db := range testDatabases {
		t.Run(db.name, func(t *testing.T) {
			s := mustOpen(t, db.dsn(t))
			ctx := context.Background()
			stmts := benchStatements(6, 0)
			if err := s.InsertStatements(ctx, stmts[:1], nil); err != nil {
				t.Fatal(err)
			}
			conflicting := stmts[0]
			conflicting.JSON = append(bytes.Clone(conflicting.JSON[:len(conflicting.JSON)-1]), `,"x":1}`...)
			voidsVoiding := stmts[5]
			voidsVoiding.VoidsID = stmts[4].ID
			stmts[4].VoidsID = stmts[1].ID // stmts[4] is a voiding statement

			calls := []*insertCall{
				newCall([]lrs.Statement{stmts[1], stmts[2]}),
				newCall([]lrs.Statement{conflicting}),
				newCall([]lrs.Statement{stmts[3], stmts[4]}),
				newCall([]lrs.Statement{voidsVoiding}),
			}
			s.commitGroup(calls)
			want := []error{nil, lrs.ErrConflict, nil, lrs.ErrVoidingVoid}
			for i, c := range calls {
				if err := <-c.done; !errors.Is(err, want[i]) || (want[i] == nil && err != nil) {
					t.Errorf("call %d: err = %v, want %v", i, err, want[i])
				}
			}
			for _, st := range stmts[2:5] {
				if _, err := s.Statement(ctx, st.ID, false); err != nil {
					t.Errorf("Statement(%s) = %v, want it stored", st.ID, err)
				}
			}
			if _, err := s.Statement(ctx, stmts[1].ID, true); err != nil {
				t.Errorf("Statement(%s, voided) = %v, want it stored and voided", stmts[1].ID, err)
			}
			if _, err := s.Statement(ctx, voidsVoiding.ID, false); !errors.Is(err, lrs.ErrNotFound) {
				t.Errorf("Statement(%s) = %v, want ErrNotFound: its call failed", voidsVoiding.ID, err)
			}
		})
	}
}

func newCall(stmts []lrs.Statement) *insertCall {
	return &insertCall{
		stmts: stmts,
		same:  func(_ int, stored, sent []byte) bool { return bytes.Equal(stored, sent) },
		done:  make(chan error, 1),
	}
}
