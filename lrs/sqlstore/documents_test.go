package sqlstore

import (
	"bytes"
	"context"
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
			ctx := context.Background()
			key := func(id string) lrs.DocumentKey {
				return lrs.DocumentKey{Kind: lrs.KindState, ActivityID: "https://example.org/a", Agent: "mbox:mailto:a@example.org", ID: id}
			}
			contents := map[string][]byte{"a": bytes.Repeat([]byte("a"), 100000), "b": bytes.Repeat([]byte("b"), 100000)}
			for id, c := range contents {
				if err := s.PutDocument(ctx, lrs.Document{Key: key(id), ContentType: "text/plain", Content: c, SHA1: id, Updated: time.Now()}, lrs.Condition{}); err != nil {
					t.Fatal(err)
				}
			}
			first, err := s.Document(ctx, key("a"))
			if err != nil {
				t.Fatal(err)
			}
			for range 20 { // more reads than the pool has connections
				if _, err := s.Document(ctx, key("b")); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(first.Content, contents["a"]) {
				t.Fatal("a document's bytes changed when others were read")
			}
			first.Content[0] = 'x'
			again, err := s.Document(ctx, key("a"))
			if err != nil || !bytes.Equal(again.Content, contents["a"]) {
				t.Errorf("changing the bytes read changed what is read next: %q..., %v", again.Content[:3], err)
			}
		})
	}
}
