package storetest

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs"
)

// documentStore is s as an lrs.DocumentStore; every store the suite runs
// on must keep documents too.
func documentStore(t *testing.T, s lrs.Store) lrs.DocumentStore {
	t.Helper()
	ds, ok := s.(lrs.DocumentStore)
	if !ok {
		t.Fatalf("%T does not implement lrs.DocumentStore", s)
	}
	return ds
}

// doc returns a document under key with the content, stored at updated.
func doc(key lrs.DocumentKey, contentType, content string, updated time.Time) lrs.Document {
	sum := sha1.Sum([]byte(content))
	return lrs.Document{Key: key, ContentType: contentType, Content: []byte(content), SHA1: hex.EncodeToString(sum[:]), Updated: updated}
}

func stateKey(activity, agent, registration, id string) lrs.DocumentKey {
	return lrs.DocumentKey{Kind: lrs.KindState, ActivityID: activity, Agent: agent, Registration: registration, ID: id}
}

func mustPut(t *testing.T, s lrs.DocumentStore, d lrs.Document, cond lrs.Condition) {
	t.Helper()
	if err := s.PutDocument(context.Background(), d, cond); err != nil {
		t.Fatalf("PutDocument(%s, %+v) = %v, want nil", d.Key, cond, err)
	}
}

// checkDoc fails unless the document under want.Key is want.
func checkDoc(t *testing.T, s lrs.DocumentStore, want lrs.Document) {
	t.Helper()
	got, err := s.Document(context.Background(), want.Key)
	if err != nil {
		t.Fatalf("Document(%s) = %v, want the document", want.Key, err)
	}
	if !bytes.Equal(got.Content, want.Content) || got.ContentType != want.ContentType || got.SHA1 != want.SHA1 ||
		!got.Updated.Equal(want.Updated) || got.Updated.Location() != time.UTC || got.Key != want.Key {
		t.Errorf("Document(%s) = %q %q %s %v, want %q %q %s %v", want.Key, got.ContentType, got.Content, got.SHA1, got.Updated,
			want.ContentType, want.Content, want.SHA1, want.Updated)
	}
}

func checkAbsent(t *testing.T, s lrs.DocumentStore, key lrs.DocumentKey) {
	t.Helper()
	if _, err := s.Document(context.Background(), key); !errors.Is(err, lrs.ErrNotFound) {
		t.Errorf("Document(%s) = %v, want ErrNotFound", key, err)
	}
}

func testDocumentPutGet(t *testing.T, st lrs.Store) {
	s := documentStore(t, st)
	binary := make([]byte, 70000)
	for i := range binary {
		binary[i] = byte(i * 13)
	}
	long := strings.Repeat("x", 3000) // longer than a PostgreSQL B-tree entry
	docs := []lrs.Document{
		doc(stateKey(lesson1, alice, "", "bookmark"), "application/json", `{"page": 3, "score":0.1000000000000000055511151231257827}`, at(0)),
		doc(stateKey(lesson1, alice, "9a2a8d5c-65ab-4b1e-9b0c-3c6a3f4b2a11", "bookmark"), "text/plain; charset=utf-8", "registration's own", at(1)),
		doc(stateKey(lesson1, bob, "", "bookmark"), "application/octet-stream", string(binary), at(2)),
		doc(stateKey(lesson1, alice, "", "empty"), "text/plain", "", at(3)),
		doc(lrs.DocumentKey{Kind: lrs.KindActivityProfile, ActivityID: lesson1, ID: "bookmark"}, "application/json", `{}`, at(4)),
		doc(lrs.DocumentKey{Kind: lrs.KindAgentProfile, Agent: alice, ID: "bookmark"}, "application/json", `[1]`, at(5)),
		doc(stateKey(lesson1+"/"+long, alice+long, "", "id "+long+"\x01é"), "application/json", `"long keys"`, at(6)),
		// Parts that would run together if the key joined them plainly.
		doc(stateKey(lesson1+"a", "b", "", "c"), "text/plain", "split 1", at(7)),
		doc(stateKey(lesson1, "ab", "", "c"), "text/plain", "split 2", at(8)),
	}
	for _, d := range docs {
		mustPut(t, s, d, lrs.Condition{Absent: true})
	}
	for _, d := range docs {
		checkDoc(t, s, d)
	}
	checkAbsent(t, s, stateKey(lesson1, alice, "", "missing"))
	checkAbsent(t, s, lrs.DocumentKey{Kind: lrs.KindActivityProfile, ActivityID: lesson2, ID: "bookmark"})
	// Unconditional PUT replaces.
	replaced := doc(docs[0].Key, "text/plain", "replaced", at(10))
	mustPut(t, s, replaced, lrs.Condition{})
	checkDoc(t, s, replaced)
}

func testDocumentConditions(t *testing.T, st lrs.Store) {
	s := documentStore(t, st)
	ctx := context.Background()
	key := lrs.DocumentKey{Kind: lrs.KindAgentProfile, Agent: alice, ID: "prefs"}
	first := doc(key, "application/json", `{"a":1}`, at(0))
	second := doc(key, "application/json", `{"a":2}`, at(1))
	if err := s.PutDocument(ctx, first, lrs.Condition{SHA1: first.SHA1}); !errors.Is(err, lrs.ErrPreconditionFailed) {
		t.Errorf("PutDocument(expecting a SHA-1, none stored) = %v, want ErrPreconditionFailed", err)
	}
	checkAbsent(t, s, key)
	mustPut(t, s, first, lrs.Condition{Absent: true})
	for _, cond := range []lrs.Condition{{Absent: true}, {SHA1: second.SHA1}, {SHA1: "W/" + first.SHA1}} {
		if err := s.PutDocument(ctx, second, cond); !errors.Is(err, lrs.ErrPreconditionFailed) {
			t.Errorf("PutDocument(%+v) = %v, want ErrPreconditionFailed", cond, err)
		}
		checkDoc(t, s, first)
	}
	mustPut(t, s, second, lrs.Condition{SHA1: first.SHA1})
	checkDoc(t, s, second)

	// Deleting.
	for _, cond := range []lrs.Condition{{Absent: true}, {SHA1: first.SHA1}} {
		if err := s.DeleteDocument(ctx, key, cond); !errors.Is(err, lrs.ErrPreconditionFailed) {
			t.Errorf("DeleteDocument(%+v) = %v, want ErrPreconditionFailed", cond, err)
		}
		checkDoc(t, s, second)
	}
	if err := s.DeleteDocument(ctx, key, lrs.Condition{SHA1: second.SHA1}); err != nil {
		t.Errorf("DeleteDocument(the stored SHA-1) = %v", err)
	}
	checkAbsent(t, s, key)
	if err := s.DeleteDocument(ctx, key, lrs.Condition{}); err != nil {
		t.Errorf("DeleteDocument(absent, unconditionally) = %v, want nil", err)
	}
	if err := s.DeleteDocument(ctx, key, lrs.Condition{Absent: true}); err != nil {
		t.Errorf("DeleteDocument(absent, expecting absent) = %v, want nil", err)
	}
	if err := s.DeleteDocument(ctx, key, lrs.Condition{SHA1: second.SHA1}); !errors.Is(err, lrs.ErrPreconditionFailed) {
		t.Errorf("DeleteDocument(absent, expecting a SHA-1) = %v, want ErrPreconditionFailed", err)
	}
	mustPut(t, s, first, lrs.Condition{})
	if err := s.DeleteDocument(ctx, key, lrs.Condition{}); err != nil {
		t.Errorf("DeleteDocument(unconditionally) = %v", err)
	}
	checkAbsent(t, s, key)
}

func testDocumentIDs(t *testing.T, st lrs.Store) {
	s := documentStore(t, st)
	ctx := context.Background()
	const reg1, reg2 = "9a2a8d5c-65ab-4b1e-9b0c-3c6a3f4b2a11", "0b6e0b5c-9c2a-4c8e-8f8e-3a9b0e6b7c1d"
	puts := []lrs.Document{
		doc(stateKey(lesson1, alice, "", "c"), "text/plain", "1", at(1)),
		doc(stateKey(lesson1, alice, reg1, "a"), "text/plain", "2", at(2)),
		doc(stateKey(lesson1, alice, reg2, "a"), "text/plain", "3", at(3)),
		doc(stateKey(lesson1, alice, reg2, "b"), "text/plain", "4", at(4)),
		doc(stateKey(lesson1, bob, "", "other agent"), "text/plain", "5", at(5)),
		doc(stateKey(lesson2, alice, "", "other activity"), "text/plain", "6", at(6)),
		doc(lrs.DocumentKey{Kind: lrs.KindActivityProfile, ActivityID: lesson1, ID: "p2"}, "text/plain", "7", at(7)),
		doc(lrs.DocumentKey{Kind: lrs.KindActivityProfile, ActivityID: lesson1, ID: "p1"}, "text/plain", "8", at(8)),
		doc(lrs.DocumentKey{Kind: lrs.KindAgentProfile, Agent: alice, ID: "p3"}, "text/plain", "9", at(9)),
	}
	for _, d := range puts {
		mustPut(t, s, d, lrs.Condition{})
	}
	tests := []struct {
		key        lrs.DocumentKey
		since      time.Time
		want       []string
		wantLatest time.Time
	}{
		{stateKey(lesson1, alice, "", ""), time.Time{}, []string{"a", "b", "c"}, at(4)},
		{stateKey(lesson1, alice, reg2, ""), time.Time{}, []string{"a", "b"}, at(4)},
		{stateKey(lesson1, alice, reg1, ""), time.Time{}, []string{"a"}, at(2)},
		{stateKey(lesson1, alice, "", ""), at(2), []string{"a", "b"}, at(4)}, // since is exclusive
		{stateKey(lesson1, alice, "", ""), at(2).Add(-time.Microsecond), []string{"a", "b"}, at(4)},
		{stateKey(lesson1, alice, "", ""), at(4), nil, time.Time{}},
		{stateKey(lesson1, carol, "", ""), time.Time{}, nil, time.Time{}},
		{lrs.DocumentKey{Kind: lrs.KindActivityProfile, ActivityID: lesson1}, time.Time{}, []string{"p1", "p2"}, at(8)},
		{lrs.DocumentKey{Kind: lrs.KindActivityProfile, ActivityID: lesson1}, at(7), []string{"p1"}, at(8)},
		{lrs.DocumentKey{Kind: lrs.KindAgentProfile, Agent: alice}, time.Time{}, []string{"p3"}, at(9)},
		{lrs.DocumentKey{Kind: lrs.KindAgentProfile, Agent: bob}, time.Time{}, nil, time.Time{}},
	}
	for _, tt := range tests {
		got, latest, err := s.DocumentIDs(ctx, tt.key, tt.since)
		if err != nil || !slices.Equal(got, tt.want) || !latest.Equal(tt.wantLatest) {
			t.Errorf("DocumentIDs(%+v, %v) = %q, %v, %v; want %q, %v", tt.key, tt.since, got, latest, err, tt.want, tt.wantLatest)
		}
	}

	// Deleting a registration's states leaves the others; deleting without
	// one deletes them all, and only this agent's for this activity.
	if err := s.DeleteDocuments(ctx, stateKey(lesson1, alice, reg2, "")); err != nil {
		t.Fatal(err)
	}
	checkAbsent(t, s, puts[2].Key)
	checkAbsent(t, s, puts[3].Key)
	checkDoc(t, s, puts[1])
	if err := s.DeleteDocuments(ctx, stateKey(lesson1, alice, "", "")); err != nil {
		t.Fatal(err)
	}
	checkAbsent(t, s, puts[0].Key)
	checkAbsent(t, s, puts[1].Key)
	for _, d := range puts[4:] {
		checkDoc(t, s, d)
	}
}

// testConcurrentDocumentWrites has writers replace one document at once,
// each expecting the SHA-1 they all read: exactly one wins each round and
// the document is the winner's. Likewise for creating a new one.
func testConcurrentDocumentWrites(t *testing.T, st lrs.Store) {
	s := documentStore(t, st)
	ctx := context.Background()
	const writers, rounds = 8, 10
	key := stateKey(lesson1, alice, "", "contended")
	cur := doc(key, "application/json", `{"round":-1}`, at(0))
	mustPut(t, s, cur, lrs.Condition{})
	for round := range rounds {
		for _, create := range []bool{false, true} {
			cond := lrs.Condition{SHA1: cur.SHA1}
			if create {
				if err := s.DeleteDocument(ctx, key, lrs.Condition{}); err != nil {
					t.Fatal(err)
				}
				cond = lrs.Condition{Absent: true}
			}
			sent := make([]lrs.Document, writers)
			errs := make([]error, writers)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for w := range writers {
				sent[w] = doc(key, "application/json", fmt.Sprintf(`{"round":%d,"create":%t,"writer":%d}`, round, create, w), at(round+1))
				wg.Go(func() {
					<-start
					errs[w] = s.PutDocument(ctx, sent[w], cond)
				})
			}
			close(start)
			wg.Wait()
			winner := -1
			for w, err := range errs {
				switch {
				case err == nil && winner >= 0:
					t.Fatalf("round %d (create %v): writers %d and %d both won", round, create, winner, w)
				case err == nil:
					winner = w
				case !errors.Is(err, lrs.ErrPreconditionFailed):
					t.Fatalf("round %d (create %v): writer %d: %v, want nil or ErrPreconditionFailed", round, create, w, err)
				}
			}
			if winner < 0 {
				t.Fatalf("round %d (create %v): no writer won", round, create)
			}
			checkDoc(t, s, sent[winner])
			cur = sent[winner]
		}
	}
}
