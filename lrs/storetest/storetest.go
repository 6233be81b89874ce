// Package storetest is the conformance suite of lrs.Store: every
// implementation runs Run against fresh stores of its own, so that SQLite
// and PostgreSQL (and any later store) keep exactly the same rules.
//
// Test statements are lrs.Statement values with small hand-written JSON;
// the suite does not depend on the xAPI decoder.
package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs"
)

// Run runs every conformance test. open returns a new, empty store for the
// test it is given and closes it in that test's t.Cleanup.
func Run(t *testing.T, open func(t *testing.T) lrs.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s lrs.Store)
	}{
		{"InsertAndGet", testInsertAndGet},
		{"Sequence", testSequence},
		{"ExactJSON", testExactJSON},
		{"StoredMicroseconds", testStoredMicroseconds},
		{"SameContentTwice", testSameContentTwice},
		{"Conflict", testConflict},
		{"DuplicateInBatch", testDuplicateInBatch},
		{"LargeBatch", testLargeBatch},
		{"Voiding", testVoiding},
		{"VoidingVoid", testVoidingVoid},
		{"Filters", testFilters},
		{"StatementRefChains", testStatementRefChains},
		{"Paging", testPaging},
		{"PagingWhileInserting", testPagingWhileInserting},
		{"StoredOrder", testStoredOrder},
		{"Attachments", testAttachments},
		{"Credentials", testCredentials},
		{"CredentialExpiry", testCredentialExpiry},
		{"ConcurrentInserts", testConcurrentInserts},
		{"ConcurrentSameID", testConcurrentSameID},
		{"ConcurrentVoiding", testConcurrentVoiding},
		{"DocumentPutGet", testDocumentPutGet},
		{"DocumentConditions", testDocumentConditions},
		{"DocumentIDs", testDocumentIDs},
		{"ConcurrentDocumentWrites", testConcurrentDocumentWrites},
		{"LearnDefinitions", testLearnDefinitions},
		{"ConcurrentLearning", testConcurrentLearning},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

// base is the stored time of the test statements' first second.
var base = time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)

// at returns base plus n seconds.
func at(n int) time.Time { return base.Add(time.Duration(n) * time.Second) }

// newID returns a random version 4 UUID.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// stmt returns a statement by actor (an IFI) with verb and activity object,
// stored at stored, with JSON made from those.
func stmt(actor, verb, activity string, stored time.Time) lrs.Statement {
	id := newID()
	st := lrs.Statement{
		ID:         id,
		Stored:     stored,
		ActorIFI:   actor,
		VerbID:     verb,
		ObjectType: "Activity",
		ObjectID:   activity,
	}
	st.JSON = statementJSON(st)
	return st
}

// statementJSON is a small statement JSON for st; tests that change st's
// fields call it again so that different statements differ in content.
func statementJSON(st lrs.Statement) []byte {
	return fmt.Appendf(nil, `{"id":%q,"actor":{"mbox":%q},"verb":{"id":%q},"object":{"objectType":%q,"id":%q},"context":{"registration":%q},"stored":%q}`,
		st.ID, st.ActorIFI, st.VerbID, st.ObjectType, st.ObjectID, st.Registration, st.Stored.Format(time.RFC3339Nano))
}

// with returns st changed by fn, with its JSON remade.
func with(st lrs.Statement, fn func(*lrs.Statement)) lrs.Statement {
	fn(&st)
	st.JSON = statementJSON(st)
	return st
}

// voiding returns a statement by actor that voids the statement with id.
func voiding(actor, id string, stored time.Time) lrs.Statement {
	return with(stmt(actor, "http://adlnet.gov/expapi/verbs/voided", id, stored), func(st *lrs.Statement) {
		st.ObjectType, st.VoidsID = "StatementRef", id
	})
}

func mustInsert(t *testing.T, s lrs.Store, stmts ...lrs.Statement) {
	t.Helper()
	if err := s.InsertStatements(context.Background(), stmts, bytes.Equal); err != nil {
		t.Fatalf("InsertStatements(%d statements) = %v, want nil", len(stmts), err)
	}
}

// mustGet returns the statement with id, failing the test if it is absent.
func mustGet(t *testing.T, s lrs.Store, id string, voided bool) lrs.Statement {
	t.Helper()
	st, err := s.Statement(context.Background(), id, voided)
	if err != nil {
		t.Fatalf("Statement(%q, %v) = %v, want nil", id, voided, err)
	}
	return st
}

// all returns every statement a filter matches, with no limit.
func all(t *testing.T, s lrs.Store, f lrs.StatementFilter) []lrs.Statement {
	t.Helper()
	f.Limit = 0
	page, cur, err := s.Statements(context.Background(), f)
	if err != nil {
		t.Fatalf("Statements(%+v) = %v", f, err)
	}
	if cur != nil {
		t.Fatalf("Statements(%+v) with no limit returned cursor %+v, want nil", f, *cur)
	}
	return page
}

func ids(stmts []lrs.Statement) []string {
	out := make([]string, len(stmts))
	for i, st := range stmts {
		out[i] = st.ID
	}
	return out
}

// before reports whether a comes before b in the stored order: by stored
// time, then by Seq.
func before(a, b lrs.Statement) bool {
	if !a.Stored.Equal(b.Stored) {
		return a.Stored.Before(b.Stored)
	}
	return a.Seq < b.Seq
}

// reversed returns a reversed copy of s.
func reversed[T any](s []T) []T {
	r := slices.Clone(s)
	slices.Reverse(r)
	return r
}

// diffStatement describes how got differs from want in the fields a store
// keeps; Seq is only required to be set.
func diffStatement(want, got lrs.Statement) string {
	var d []string
	field := func(name string, w, g any) {
		if fmt.Sprint(w) != fmt.Sprint(g) {
			d = append(d, fmt.Sprintf("%s: -%v +%v", name, w, g))
		}
	}
	field("ID", want.ID, got.ID)
	if !bytes.Equal(want.JSON, got.JSON) {
		d = append(d, fmt.Sprintf("JSON: -%s +%s", want.JSON, got.JSON))
	}
	if !want.Stored.Equal(got.Stored) || got.Stored.Location() != time.UTC {
		d = append(d, fmt.Sprintf("Stored: -%v +%v", want.Stored.UTC(), got.Stored))
	}
	field("Voided", want.Voided, got.Voided)
	field("ActorIFI", want.ActorIFI, got.ActorIFI)
	field("VerbID", want.VerbID, got.VerbID)
	field("ObjectType", want.ObjectType, got.ObjectType)
	field("ObjectID", want.ObjectID, got.ObjectID)
	field("Registration", want.Registration, got.Registration)
	field("VoidsID", want.VoidsID, got.VoidsID)
	field("AuthorityIFI", want.AuthorityIFI, got.AuthorityIFI)
	if got.Seq <= 0 {
		d = append(d, fmt.Sprintf("Seq: %d, want > 0", got.Seq))
	}
	return strings.Join(d, "\n")
}
