package storetest

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs"
)

const (
	alice = "mbox:mailto:alice@example.com"
	bob   = "mbox:mailto:bob@example.com"
	carol = "mbox:mailto:carol@example.com"

	completed = "http://adlnet.gov/expapi/verbs/completed"
	attempted = "http://adlnet.gov/expapi/verbs/attempted"

	lesson1 = "http://example.com/course/lesson-1"
	lesson2 = "http://example.com/course/lesson-2"
	course  = "http://example.com/course"
)

func testInsertAndGet(t *testing.T, s lrs.Store) {
	ctx := context.Background()
	if err := s.InsertStatements(ctx, nil, nil); err != nil {
		t.Fatalf("InsertStatements(nil) = %v, want nil", err)
	}
	a := stmt(alice, completed, lesson1, at(0))
	b := with(stmt(bob, attempted, "", at(1)), func(st *lrs.Statement) {
		st.ObjectType, st.ObjectID = "Agent", carol
		st.Registration = "ec531277-b57b-4c15-8d91-d292c5b2b8f7"
	})
	mustInsert(t, s, a, b)
	for _, want := range []lrs.Statement{a, b} {
		got := mustGet(t, s, want.ID, false)
		if d := diffStatement(want, got); d != "" {
			t.Errorf("Statement(%q, false) differs (-want +got):\n%s", want.ID, d)
		}
		if _, err := s.Statement(ctx, want.ID, true); !errors.Is(err, lrs.ErrNotFound) {
			t.Errorf("Statement(%q, true) of a statement not voided = %v, want ErrNotFound", want.ID, err)
		}
	}
	missing := newID()
	for _, voided := range []bool{false, true} {
		if _, err := s.Statement(ctx, missing, voided); !errors.Is(err, lrs.ErrNotFound) {
			t.Errorf("Statement(%q, %v) = %v, want ErrNotFound", missing, voided, err)
		}
	}
}

func testSequence(t *testing.T, s lrs.Store) {
	first := []lrs.Statement{stmt(alice, completed, lesson1, at(0)), stmt(alice, completed, lesson1, at(0)), stmt(alice, completed, lesson1, at(0))}
	second := []lrs.Statement{stmt(bob, completed, lesson1, at(0)), stmt(bob, completed, lesson1, at(0))}
	mustInsert(t, s, first...)
	mustInsert(t, s, second...)
	var last int64
	for _, st := range append(first, second...) {
		got := mustGet(t, s, st.ID, false)
		if got.Seq <= last {
			t.Errorf("Seq of the statement inserted after seq %d = %d, want it larger", last, got.Seq)
		}
		last = got.Seq
	}
}

func testExactJSON(t *testing.T, s lrs.Store) {
	st := stmt(alice, completed, lesson1, at(0))
	// Whitespace, key order, escapes, non-ASCII text and number spellings
	// that a JSON re-encoding would change.
	st.JSON = []byte("{ \"verb\" : {\"id\":\"" + completed + "\", \"display\": {\"en-US\":\"compl\\u00e9ted\", \"fr\":\"termin\u00e9 \U0001F600\"}},\n\t\"id\":\"" + st.ID +
		"\",\"actor\":{\"mbox\":\"mailto:alice@example.com\"},\"result\":{\"score\":{\"raw\":1.50,\"max\":1e2}},\"object\":{\"id\":\"" + lesson1 + "\"},\"x\":\"a\\\"b\\\\c\\/d\" }")
	mustInsert(t, s, st)
	if got := mustGet(t, s, st.ID, false); string(got.JSON) != string(st.JSON) {
		t.Errorf("Statement(%q).JSON = %s, want %s", st.ID, got.JSON, st.JSON)
	}
	page := all(t, s, lrs.StatementFilter{})
	if len(page) != 1 || string(page[0].JSON) != string(st.JSON) {
		t.Errorf("Statements() = %d statements, first JSON %q, want the exact bytes %s", len(page), page[0].JSON, st.JSON)
	}
}

func testStoredMicroseconds(t *testing.T, s lrs.Store) {
	berlin := time.FixedZone("CEST", 2*3600)
	times := []time.Time{
		time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		time.Date(2024, 1, 2, 3, 4, 5, 1000, time.UTC),
		time.Date(2024, 12, 31, 23, 59, 59, 999999000, time.UTC),
		time.Date(2024, 6, 30, 1, 30, 0, 500000000, berlin), // not UTC: read back in UTC
		time.Date(1999, 1, 1, 0, 0, 0, 10000, time.UTC),
	}
	for _, tm := range times {
		st := stmt(alice, completed, lesson1, tm)
		mustInsert(t, s, st)
		got := mustGet(t, s, st.ID, false)
		if !got.Stored.Equal(tm) || got.Stored.Location() != time.UTC {
			t.Errorf("Statement(%q).Stored = %v, want %v", st.ID, got.Stored, tm.UTC())
		}
	}
}

func testSameContentTwice(t *testing.T, s lrs.Store) {
	ctx := context.Background()
	a := stmt(alice, completed, lesson1, at(0))
	mustInsert(t, s, a)
	before := mustGet(t, s, a.ID, false)
	// The same content again, alone and in a batch with a new statement.
	b := stmt(bob, completed, lesson1, at(1))
	mustInsert(t, s, a)
	mustInsert(t, s, a, b)
	if got := mustGet(t, s, a.ID, false); got.Seq != before.Seq {
		t.Errorf("Seq after sending the same statement again = %d, want %d", got.Seq, before.Seq)
	}
	mustGet(t, s, b.ID, false)
	// Content same says is the same keeps what was stored first.
	resent := with(a, func(st *lrs.Statement) { st.Stored = at(5) })
	anything := func(stored, sent []byte) bool { return true }
	if err := s.InsertStatements(ctx, []lrs.Statement{resent}, anything); err != nil {
		t.Fatalf("InsertStatements(equivalent statement) = %v, want nil", err)
	}
	if got := mustGet(t, s, a.ID, false); string(got.JSON) != string(a.JSON) || !got.Stored.Equal(a.Stored) {
		t.Errorf("after an equivalent statement: JSON %s stored %v, want the first %s stored %v", got.JSON, got.Stored, a.JSON, a.Stored)
	}
	if n := len(all(t, s, lrs.StatementFilter{})); n != 2 {
		t.Errorf("Statements() = %d statements, want 2", n)
	}
}

func testConflict(t *testing.T, s lrs.Store) {
	ctx := context.Background()
	a := stmt(alice, completed, lesson1, at(0))
	mustInsert(t, s, a)
	changed := with(a, func(st *lrs.Statement) { st.VerbID = attempted })
	fresh := with(stmt(bob, attempted, lesson2, at(1)), func(st *lrs.Statement) {
		st.RelatedAgents = []string{carol}
		st.Attachments = []lrs.Attachment{{SHA2: "conflict-sha", ContentType: "text/plain", Data: []byte("x")}}
	})
	var compared [][2]string
	same := func(stored, sent []byte) bool {
		compared = append(compared, [2]string{string(stored), string(sent)})
		return false
	}
	for _, batch := range [][]lrs.Statement{{changed}, {fresh, changed}, {changed, fresh}} {
		compared = nil
		err := s.InsertStatements(ctx, batch, same)
		if !errors.Is(err, lrs.ErrConflict) {
			t.Fatalf("InsertStatements(%d statements, one changed) = %v, want ErrConflict", len(batch), err)
		}
		want := [2]string{string(a.JSON), string(changed.JSON)}
		if len(compared) == 0 || slices.ContainsFunc(compared, func(c [2]string) bool { return c != want }) {
			t.Errorf("same was called with %q, want the stored and the sent JSON", compared)
		}
	}
	if _, err := s.Statement(ctx, fresh.ID, false); !errors.Is(err, lrs.ErrNotFound) {
		t.Errorf("Statement(new statement of a conflicting batch) = %v, want ErrNotFound", err)
	}
	if got := mustGet(t, s, a.ID, false); string(got.JSON) != string(a.JSON) {
		t.Errorf("stored statement after a conflict = %s, want %s", got.JSON, a.JSON)
	}
	for _, f := range []lrs.StatementFilter{{}, {Agent: carol, RelatedAgents: true}, {Agent: bob}, {Activity: lesson2}} {
		if got := ids(all(t, s, f)); len(got) > 1 || len(got) == 1 && got[0] != a.ID {
			t.Errorf("Statements(%+v) after a conflict = %v, want at most %s", f, got, a.ID)
		}
	}
	if got, err := s.Attachments(ctx, []string{"conflict-sha"}); err != nil || len(got) != 0 {
		t.Errorf("Attachments of a conflicting batch = %v, %v, want none", got, err)
	}
}

func testDuplicateInBatch(t *testing.T, s lrs.Store) {
	ctx := context.Background()
	a := stmt(alice, completed, lesson1, at(0))
	mustInsert(t, s, a, a)
	if got := ids(all(t, s, lrs.StatementFilter{})); len(got) != 1 {
		t.Errorf("Statements() after a batch with one statement twice = %v, want once %s", got, a.ID)
	}
	b := stmt(bob, completed, lesson1, at(1))
	b2 := with(b, func(st *lrs.Statement) { st.VerbID = attempted })
	if err := s.InsertStatements(ctx, []lrs.Statement{b, b2}, bytes.Equal); !errors.Is(err, lrs.ErrConflict) {
		t.Errorf("InsertStatements(one id, two contents) = %v, want ErrConflict", err)
	}
	if _, err := s.Statement(ctx, b.ID, false); !errors.Is(err, lrs.ErrNotFound) {
		t.Errorf("Statement(%q) after the conflicting batch = %v, want ErrNotFound", b.ID, err)
	}
}

// testLargeBatch sends more rows than one SQL statement may carry
// parameters for, so that stores that split batches do.
func testLargeBatch(t *testing.T, s lrs.Store) {
	const n = 5000
	batch := make([]lrs.Statement, n)
	for i := range batch {
		batch[i] = stmt(alice, completed, lesson1, at(i))
		batch[i].RelatedAgents = []string{alice, bob, carol, newID()}
		batch[i].RelatedActivities = []string{lesson1, course, newID()}
	}
	mustInsert(t, s, batch...)
	if got := all(t, s, lrs.StatementFilter{Agent: carol, RelatedAgents: true, Ascending: true}); len(got) != n {
		t.Fatalf("Statements(related agent of all %d) = %d statements", n, len(got))
	} else if got[0].ID != batch[0].ID || got[n-1].ID != batch[n-1].ID {
		t.Errorf("Statements(ascending) from %s to %s, want from %s to %s", got[0].ID, got[n-1].ID, batch[0].ID, batch[n-1].ID)
	}
	if got := all(t, s, lrs.StatementFilter{Activity: course, RelatedActivities: true}); len(got) != n {
		t.Errorf("Statements(related activity of all %d) = %d statements", n, len(got))
	}
}
