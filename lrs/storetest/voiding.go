package storetest

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/coursekit/coursekit/lrs"
)

// checkVoided fails unless the statement with id is found only as voided.
func checkVoided(t *testing.T, s lrs.Store, id string) {
	t.Helper()
	if _, err := s.Statement(context.Background(), id, false); !errors.Is(err, lrs.ErrNotFound) {
		t.Errorf("Statement(%q, false) of a voided statement = %v, want ErrNotFound", id, err)
	}
	if got := mustGet(t, s, id, true); !got.Voided {
		t.Errorf("Statement(%q, true).Voided = false, want true", id)
	}
	for _, f := range []lrs.StatementFilter{{}, {Agent: alice}, {Agent: alice, RelatedAgents: true}, {Verb: completed}, {Activity: lesson1}} {
		if got := ids(all(t, s, f)); slices.Contains(got, id) {
			t.Errorf("Statements(%+v) = %v, want no voided %s", f, got, id)
		}
	}
}

// checkNotVoided fails unless the statement with id is found as not voided.
func checkNotVoided(t *testing.T, s lrs.Store, id string) {
	t.Helper()
	if got := mustGet(t, s, id, false); got.Voided {
		t.Errorf("Statement(%q, false).Voided = true, want false", id)
	}
	if _, err := s.Statement(context.Background(), id, true); !errors.Is(err, lrs.ErrNotFound) {
		t.Errorf("Statement(%q, true) of a statement not voided = %v, want ErrNotFound", id, err)
	}
}

func testVoiding(t *testing.T, s lrs.Store) {
	t.Run("later batch", func(t *testing.T) {
		x := stmt(alice, completed, lesson1, at(0))
		v := voiding(bob, x.ID, at(1))
		mustInsert(t, s, x)
		mustInsert(t, s, v)
		checkVoided(t, s, x.ID)
		checkNotVoided(t, s, v.ID)
		if got := ids(all(t, s, lrs.StatementFilter{Agent: bob})); !slices.Contains(got, v.ID) {
			t.Errorf("Statements(agent bob) = %v, want the voiding statement %s", got, v.ID)
		}
		// Sending the voiding statement again changes nothing.
		mustInsert(t, s, v)
		checkVoided(t, s, x.ID)
	})
	t.Run("same batch", func(t *testing.T) {
		x := stmt(alice, completed, lesson1, at(0))
		mustInsert(t, s, x, voiding(bob, x.ID, at(1)))
		checkVoided(t, s, x.ID)
	})
	t.Run("voiding first", func(t *testing.T) {
		x := stmt(alice, completed, lesson1, at(0))
		mustInsert(t, s, voiding(bob, x.ID, at(1)))
		mustInsert(t, s, x)
		checkVoided(t, s, x.ID)
	})
	t.Run("voiding first, same batch", func(t *testing.T) {
		x := stmt(alice, completed, lesson1, at(0))
		mustInsert(t, s, voiding(bob, x.ID, at(1)), x)
		checkVoided(t, s, x.ID)
	})
	t.Run("twice", func(t *testing.T) {
		x := stmt(alice, completed, lesson1, at(0))
		mustInsert(t, s, x, voiding(bob, x.ID, at(1)))
		mustInsert(t, s, voiding(carol, x.ID, at(2)))
		checkVoided(t, s, x.ID)
	})
	t.Run("late voiding statement is not voided", func(t *testing.T) {
		// v1 names an id that arrives later as a voiding statement itself:
		// a voiding statement cannot be voided, so v2 stays and applies.
		y := stmt(alice, completed, lesson1, at(0))
		v2 := voiding(bob, y.ID, at(2))
		mustInsert(t, s, y, voiding(carol, v2.ID, at(1)))
		mustInsert(t, s, v2)
		checkNotVoided(t, s, v2.ID)
		checkVoided(t, s, y.ID)
	})
}

func testVoidingVoid(t *testing.T, s lrs.Store) {
	ctx := context.Background()
	x := stmt(alice, completed, lesson1, at(0))
	v1 := voiding(bob, x.ID, at(1))
	mustInsert(t, s, x, v1)

	other := stmt(carol, completed, lesson2, at(3))
	tests := []struct {
		name  string
		batch []lrs.Statement
	}{
		{"stored voiding statement", []lrs.Statement{voiding(carol, v1.ID, at(2))}},
		{"with a new statement", []lrs.Statement{other, voiding(carol, v1.ID, at(2))}},
		{"in the same batch", func() []lrs.Statement {
			y := stmt(alice, completed, lesson1, at(4))
			w1 := voiding(bob, y.ID, at(5))
			return []lrs.Statement{y, w1, voiding(carol, w1.ID, at(6))}
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.InsertStatements(ctx, tt.batch, bytes.Equal); !errors.Is(err, lrs.ErrVoidingVoid) {
				t.Fatalf("InsertStatements = %v, want ErrVoidingVoid", err)
			}
			for _, st := range tt.batch {
				if _, err := s.Statement(ctx, st.ID, false); !errors.Is(err, lrs.ErrNotFound) {
					t.Errorf("Statement(%q) of the rejected batch = %v, want ErrNotFound", st.ID, err)
				}
			}
			checkNotVoided(t, s, v1.ID)
			checkVoided(t, s, x.ID)
		})
	}
}
