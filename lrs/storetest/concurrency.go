package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/coursekit/coursekit/lrs"
)

func testConcurrentInserts(t *testing.T, s lrs.Store) {
	const writers, batches, size = 8, 10, 20
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, writers*batches)
	for w := range writers {
		wg.Go(func() {
			actor := fmt.Sprintf("mbox:mailto:writer%d@example.com", w)
			for b := range batches {
				batch := make([]lrs.Statement, size)
				for i := range batch {
					batch[i] = stmt(actor, completed, lesson1, at(b))
					batch[i].RelatedActivities = []string{lesson1, course}
				}
				if err := s.InsertStatements(ctx, batch, bytes.Equal); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent InsertStatements = %v", err)
	}
	got := all(t, s, lrs.StatementFilter{Activity: course, RelatedActivities: true})
	if len(got) != writers*batches*size {
		t.Errorf("Statements() after concurrent inserts = %d statements, want %d", len(got), writers*batches*size)
	}
	seqs := map[int64]bool{}
	for i, st := range got {
		if seqs[st.Seq] {
			t.Fatalf("Seq %d repeats", st.Seq)
		}
		seqs[st.Seq] = true
		if i > 0 && !before(st, got[i-1]) {
			t.Fatalf("statement (stored %v, seq %d) follows (stored %v, seq %d), want newest stored first",
				st.Stored, st.Seq, got[i-1].Stored, got[i-1].Seq)
		}
	}
}

// testConcurrentSameID sends one id from several goroutines at once: with
// the same content all succeed and it is stored once; with different
// contents one succeeds and the others conflict.
func testConcurrentSameID(t *testing.T, s lrs.Store) {
	const writers = 8
	ctx := context.Background()
	for _, differ := range []bool{false, true} {
		a := stmt(alice, completed, lesson1, at(0))
		var wg sync.WaitGroup
		errs := make([]error, writers)
		own := make([]lrs.Statement, writers)
		for w := range writers {
			// Each batch also carries a statement of its own.
			own[w] = stmt(bob, completed, lesson2, at(1))
			wg.Go(func() {
				st := a
				if differ {
					st = with(a, func(st *lrs.Statement) { st.ObjectID = fmt.Sprintf("%s/%d", lesson1, w) })
				}
				errs[w] = s.InsertStatements(ctx, []lrs.Statement{own[w], st}, bytes.Equal)
			})
		}
		wg.Wait()
		succeeded := 0
		for w, err := range errs {
			switch {
			case err == nil:
				succeeded++
				mustGet(t, s, own[w].ID, false)
			case !differ || !errors.Is(err, lrs.ErrConflict):
				t.Errorf("concurrent InsertStatements(differ=%v) = %v", differ, err)
			default:
				if _, err := s.Statement(ctx, own[w].ID, false); !errors.Is(err, lrs.ErrNotFound) {
					t.Errorf("Statement(new statement of a conflicting call) = %v, want ErrNotFound", err)
				}
			}
		}
		if want := map[bool]int{false: writers, true: 1}[differ]; succeeded != want {
			t.Errorf("concurrent InsertStatements(differ=%v): %d succeeded, want %d", differ, succeeded, want)
		}
		mustGet(t, s, a.ID, false)
	}
}

// testConcurrentVoiding sends statements and the statements that void them
// at the same time: however they interleave, each ends up voided.
func testConcurrentVoiding(t *testing.T, s lrs.Store) {
	const n = 20
	ctx := context.Background()
	targets := make([]lrs.Statement, n)
	for i := range targets {
		targets[i] = stmt(alice, completed, lesson1, at(i))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range targets {
		wg.Go(func() { errs <- s.InsertStatements(ctx, targets[i:i+1], bytes.Equal) })
		wg.Go(func() {
			errs <- s.InsertStatements(ctx, []lrs.Statement{voiding(bob, targets[i].ID, at(i))}, bytes.Equal)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent InsertStatements = %v", err)
		}
	}
	for _, st := range targets {
		checkVoided(t, s, st.ID)
	}
}
