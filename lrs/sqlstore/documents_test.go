package sqlstore

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs"
)

// TestDocumentReadsDoNotShare checks what ownedBytes relies on: a document
// read keeps its bytes while others are read on the same connections, and
// changing them changes nothing stored.
func TestDocumentReadsDoNotShare(t *testing.T) {
	for _, db := range testDatabases {
		t.Run(db.name, func(t *testing.T) {
			s := mustOpen(t, db.dsn(t))
			// One connection, so that every read goes through the buffers
			// of the one that read the first document.
			s.r.SetMaxOpenConns(1)
			ctx := context.Background()
			key := func(id string) lrs.DocumentKey {
				return lrs.DocumentKey{Kind: lrs.KindState, ActivityID: "https://example.org/a", Agent: "mbox:mailto:a@example.org", ID: id}
			}
			// Small documents too: a driver may read small values into a
			// buffer it reuses.
			contents := map[string][]byte{"a": []byte("aaaa"), "b": []byte("bbbb"),
				"A": bytes.Repeat([]byte("a"), 100000), "B": bytes.Repeat([]byte("b"), 100000)}
			for id, c := range contents {
				if err := s.PutDocument(ctx, lrs.Document{Key: key(id), ContentType: "text/plain", Content: c, SHA1: id, Updated: time.Now()}, lrs.Condition{}); err != nil {
					t.Fatal(err)
				}
			}
			for _, pair := range [][2]string{{"a", "b"}, {"A", "B"}} {
				first, err := s.Document(ctx, key(pair[0]))
				if err != nil {
					t.Fatal(err)
				}
				for range 3 {
					if _, err := s.Document(ctx, key(pair[1])); err != nil {
						t.Fatal(err)
					}
				}
				if !bytes.Equal(first.Content, contents[pair[0]]) {
					t.Fatalf("document %s's bytes changed when another was read: %.10q", pair[0], first.Content)
				}
				first.Content[0] = 'x'
				again, err := s.Document(ctx, key(pair[0]))
				if err != nil || !bytes.Equal(again.Content, contents[pair[0]]) {
					t.Errorf("changing the bytes read changed what is read next: %.10q, %v", again.Content, err)
				}
			}
		})
	}
}

// TestDocumentsAfterClose: document calls on a closed store fail rather
// than wait for a writer or batcher that has stopped.
func TestDocumentsAfterClose(t *testing.T) {
	for _, db := range testDatabases {
		t.Run(db.name, func(t *testing.T) {
			s, err := Open(context.Background(), db.dsn(t), testLogger(t))
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			doc := lrs.Document{Key: lrs.DocumentKey{Kind: lrs.KindState, ActivityID: "https://example.org/a", Agent: "mbox:mailto:a@example.org", ID: "x"},
				ContentType: "application/json", Content: []byte("{}"), SHA1: "x", Updated: time.Now()}
			if err := s.PutDocument(ctx, doc, lrs.Condition{}); err == nil {
				t.Error("PutDocument after Close succeeded")
			}
			if _, err := s.Document(ctx, doc.Key); err == nil || errors.Is(err, lrs.ErrNotFound) {
				t.Errorf("Document after Close = %v, want an error other than not found", err)
			}
		})
	}
}
