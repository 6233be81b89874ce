package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs"
)

func batchDoc(id, content string) lrs.Document {
	return lrs.Document{
		Key:         lrs.DocumentKey{Kind: lrs.KindState, ActivityID: "https://example.org/a", Agent: "mbox:mailto:a@example.org", ID: id},
		ContentType: "application/json", Content: []byte(content), SHA1: "sum-" + content,
		Updated: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC),
	}
}

// TestCollectDocumentWrites checks how writes are cut into batches: one
// kind per batch, each document once, in the order they came.
func TestCollectDocumentWrites(t *testing.T) {
	put := func(id string, cond lrs.Condition) *docPut { return newDocPut(batchDoc(id, id), cond) }
	match := lrs.Condition{SHA1: "x"}
	absent := lrs.Condition{Absent: true}
	tests := []struct {
		name       string
		writes     []*docPut
		batch      int // how many of writes the first batch takes
		startsNext bool
	}{
		{"different documents", []*docPut{put("a", lrs.Condition{}), put("b", lrs.Condition{}), put("c", lrs.Condition{})}, 3, false},
		{"a document again", []*docPut{put("a", lrs.Condition{}), put("b", lrs.Condition{}), put("a", lrs.Condition{}), put("c", lrs.Condition{})}, 2, true},
		{"another kind", []*docPut{put("a", match), put("b", match), put("c", absent), put("d", match)}, 2, true},
		{"the same condition", []*docPut{put("a", absent), put("b", absent)}, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := make(chan *docPut, len(tt.writes))
			for _, w := range tt.writes[1:] {
				ch <- w
			}
			batch, next := collect(ch, tt.writes[0], writeFits)
			if len(batch) != tt.batch {
				t.Fatalf("batch of %d, want %d", len(batch), tt.batch)
			}
			for i, w := range batch {
				if w != tt.writes[i] {
					t.Errorf("batch[%d] = %s, want %s", i, w.doc.Key.ID, tt.writes[i].doc.Key.ID)
				}
			}
			switch {
			case tt.startsNext && (next == nil || *next != tt.writes[tt.batch]):
				t.Errorf("next = %v, want write %d", next, tt.batch)
			case !tt.startsNext && next != nil:
				t.Errorf("next = %s, want none", (*next).doc.Key.ID)
			}
		})
	}
	// No more than docBatchMax, and the rest stays queued.
	ch := make(chan *docPut, docBatchMax+5)
	for i := range docBatchMax + 5 {
		ch <- put(fmt.Sprint(i), lrs.Condition{})
	}
	batch, next := collect(ch, put("first", lrs.Condition{}), writeFits)
	if len(batch) != docBatchMax || next != nil || len(ch) != 6 {
		t.Errorf("batch of %d, next %v, %d left queued; want %d, nil, 6", len(batch), next, len(ch), docBatchMax)
	}
}

// TestDocumentWriteBatch runs batches of each kind on PostgreSQL: each
// write's condition is judged on its own, and a write the database rejects
// fails alone.
func TestDocumentWriteBatch(t *testing.T) {
	s := mustOpenPostgres(t)
	ctx := context.Background()
	stored := []lrs.Document{batchDoc("old1", `{"v":1}`), batchDoc("old2", `{"v":2}`), batchDoc("old3", `{"v":3}`)}
	for _, d := range stored {
		if _, err := s.putOne(ctx, d, lrs.Condition{}); err != nil {
			t.Fatal(err)
		}
	}
	// PostgreSQL's text cannot hold a NUL byte, so this write fails.
	rejected := batchDoc("bad", `{"v":"bad"}`)
	rejected.Key.ActivityID = "https://example.org/\x00"

	tests := []struct {
		name   string
		writes []*docPut
		want   []bool // applied
	}{
		{"create or replace", []*docPut{
			newDocPut(batchDoc("new1", `{"n":1}`), lrs.Condition{}),
			newDocPut(batchDoc("old1", `{"v":10}`), lrs.Condition{}),
		}, []bool{true, true}},
		{"create only", []*docPut{
			newDocPut(batchDoc("new2", `{"n":2}`), lrs.Condition{Absent: true}),
			newDocPut(batchDoc("old2", `{"v":20}`), lrs.Condition{Absent: true}),
		}, []bool{true, false}},
		{"replace a version", []*docPut{
			newDocPut(batchDoc("old3", `{"v":30}`), lrs.Condition{SHA1: stored[2].SHA1}),
			newDocPut(batchDoc("old2", `{"v":21}`), lrs.Condition{SHA1: "not-its-sha1"}),
			newDocPut(batchDoc("missing", `{"v":0}`), lrs.Condition{SHA1: stored[0].SHA1}),
		}, []bool{true, false, false}},
		{"one write rejected", []*docPut{
			newDocPut(batchDoc("new3", `{"n":3}`), lrs.Condition{}),
			newDocPut(rejected, lrs.Condition{}),
			newDocPut(batchDoc("new4", `{"n":4}`), lrs.Condition{}),
		}, []bool{true, false, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writes := append([]*docPut(nil), tt.writes...) // writeBatch sorts its argument
			s.writeBatch(ctx, writes)
			for i, w := range tt.writes {
				if w.applied != tt.want[i] {
					t.Errorf("write %d (%s): applied %v, want %v (err %v)", i, w.doc.Key.ID, w.applied, tt.want[i], w.err)
				}
				if (w.err != nil) != (w.doc.Key.ActivityID == rejected.Key.ActivityID) {
					t.Errorf("write %d (%s): err %v", i, w.doc.Key.ID, w.err)
				}
			}
		})
	}

	want := map[string]string{"new1": `{"n":1}`, "old1": `{"v":10}`, "new2": `{"n":2}`, "old2": `{"v":2}`,
		"old3": `{"v":30}`, "new3": `{"n":3}`, "new4": `{"n":4}`}
	for id, content := range want {
		d, err := s.Document(ctx, batchDoc(id, "").Key)
		if err != nil || string(d.Content) != content || d.SHA1 != "sum-"+content {
			t.Errorf("document %s = %q %s, %v; want %q", id, d.Content, d.SHA1, err, content)
		}
	}
	if _, err := s.Document(ctx, batchDoc("missing", "").Key); !errors.Is(err, lrs.ErrNotFound) {
		t.Errorf("document missing: %v, want ErrNotFound", err)
	}
}

// TestDocumentReadBatch reads documents that exist, one that does not and
// one twice, in one batch.
func TestDocumentReadBatch(t *testing.T) {
	s := mustOpenPostgres(t)
	ctx := context.Background()
	for _, id := range []string{"a", "b"} {
		if _, err := s.putOne(ctx, batchDoc(id, id+id), lrs.Condition{}); err != nil {
			t.Fatal(err)
		}
	}
	batch := []*docRead{{key: keyHash(batchDoc("a", "").Key)}, {key: keyHash(batchDoc("none", "").Key)},
		{key: keyHash(batchDoc("b", "").Key)}, {key: keyHash(batchDoc("a", "").Key)}}
	s.readBatch(ctx, batch)
	for i, want := range []string{"aa", "", "bb", "aa"} {
		r := batch[i]
		if r.err != nil || r.found != (want != "") || !bytes.Equal(r.doc.Content, []byte(want)) {
			t.Errorf("read %d: found %v %q, %v; want %q", i, r.found, r.doc.Content, r.err, want)
		}
	}
	if &batch[0].doc.Content[0] == &batch[3].doc.Content[0] {
		t.Error("two reads of one document share its bytes")
	}
}

// TestDocumentPoolPlansOnce checks that the batcher's connections, and
// only they, use one plan per statement.
func TestDocumentPoolPlansOnce(t *testing.T) {
	s := mustOpenPostgres(t)
	for _, c := range []struct {
		name string
		db   interface {
			QueryRow(string, ...any) *sql.Row
		}
		want string
	}{{"batcher", s.docsDB, "force_generic_plan"}, {"writes on their own", s.docsOneDB, "force_generic_plan"}, {"main pool", s.w, "auto"}} {
		var got string
		if err := c.db.QueryRow(`SHOW plan_cache_mode`).Scan(&got); err != nil || got != c.want {
			t.Errorf("%s: plan_cache_mode %q, %v; want %q", c.name, got, err, c.want)
		}
	}
}

// BenchmarkDocumentBatch times one batch statement of reads or writes on
// PostgreSQL over 20,000 stored documents of ~330 bytes, by batch size,
// beside a write with a statement of its own ("one"). It needs
// COURSEKIT_TEST_POSTGRES.
func BenchmarkDocumentBatch(b *testing.B) {
	s := mustOpenPostgres(b)
	ctx := context.Background()
	const stored = 20000
	doc := func(i int) lrs.Document {
		d := batchDoc(fmt.Sprintf("suspend-%d", i), fmt.Sprintf(`{"lesson":%d,"data":"%0300d"}`, i, rand.IntN(1000)))
		d.Key.Agent = fmt.Sprintf("account:https://lms.example.org|learner-%04d", i/100)
		return d
	}
	for i := 0; i < stored; i += docBatchMax {
		var batch []*docPut
		for j := i; j < min(i+docBatchMax, stored); j++ {
			batch = append(batch, newDocPut(doc(j), lrs.Condition{}))
		}
		s.writeBatch(ctx, batch)
		if batch[0].err != nil {
			b.Fatal(batch[0].err)
		}
	}
	if _, err := s.w.Exec(`VACUUM ANALYZE documents`); err != nil {
		b.Fatal(err)
	}
	for _, size := range []int{1, 8, 32} {
		b.Run(fmt.Sprintf("write-%d", size), func(b *testing.B) {
			for b.Loop() {
				batch := make([]*docPut, size)
				first := rand.IntN(stored)
				for k := range batch { // different documents, as in a batch
					batch[k] = newDocPut(doc((first+k*617)%stored), lrs.Condition{})
				}
				s.writeBatch(ctx, batch)
			}
		})
		b.Run(fmt.Sprintf("read-%d", size), func(b *testing.B) {
			for b.Loop() {
				batch := make([]*docRead, size)
				for k := range batch {
					batch[k] = &docRead{key: keyHash(doc(rand.IntN(stored)).Key)}
				}
				s.readBatch(ctx, batch)
			}
		})
	}
	b.Run("one", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.putOne(ctx, doc(rand.IntN(stored)), lrs.Condition{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestDocumentBatchesTwoNodes has two stores on one PostgreSQL database
// write and read the same few documents from many goroutines at once, so
// that their batches overlap: no batch fails (with rows not locked in key
// order, PostgreSQL found deadlocks here), every write succeeds, and each
// document ends as one of the versions written to it.
func TestDocumentBatchesTwoNodes(t *testing.T) {
	dsn := postgresTestDSN(t)
	var warnings strings.Builder
	logger := slog.New(slog.NewTextHandler(&lockedWriter{w: &warnings}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	var nodes []*Store
	for range 2 {
		s, err := Open(context.Background(), dsn, logger)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		nodes = append(nodes, s)
	}
	ctx := context.Background()
	const docs, writers, writes = 12, 8, 60
	var (
		mu      sync.Mutex
		written = map[string]map[string]bool{} // document id → contents written
	)
	var wg sync.WaitGroup
	for n, s := range nodes {
		for w := range writers {
			wg.Go(func() {
				for i := range writes {
					id := fmt.Sprintf("doc-%d", rand.IntN(docs))
					content := fmt.Sprintf(`{"node":%d,"writer":%d,"write":%d}`, n, w, i)
					if err := s.PutDocument(ctx, batchDoc(id, content), lrs.Condition{}); err != nil {
						t.Errorf("node %d: PutDocument(%s) = %v", n, id, err)
						return
					}
					mu.Lock()
					if written[id] == nil {
						written[id] = map[string]bool{}
					}
					written[id][content] = true
					mu.Unlock()
					if _, err := s.Document(ctx, batchDoc(id, "").Key); err != nil {
						t.Errorf("node %d: Document(%s) = %v", n, id, err)
						return
					}
				}
			})
		}
	}
	wg.Wait()
	if warnings.Len() > 0 {
		t.Errorf("warnings:\n%s", warnings.String())
	}
	for id, contents := range written {
		d, err := nodes[0].Document(ctx, batchDoc(id, "").Key)
		if err != nil || !contents[string(d.Content)] || d.SHA1 != "sum-"+string(d.Content) {
			t.Errorf("document %s = %q %s, %v; want one of the %d versions written", id, d.Content, d.SHA1, err, len(contents))
		}
	}
}

// lockedWriter serialises writes to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestDocumentBatchesWhileWritesWait holds a document's row locked while
// more deletes and large writes of it wait than any document pool has
// connections, then reads and writes other documents: the batches must
// not wait behind them. (With the writes on the batches' pool, the read
// waited for the lock.)
func TestDocumentBatchesWhileWritesWait(t *testing.T) {
	s := mustOpenPostgres(t)
	ctx := context.Background()
	locked := batchDoc("locked", `{"a":1}`)
	if err := s.PutDocument(ctx, locked, lrs.Condition{}); err != nil {
		t.Fatal(err)
	}
	tx, err := s.w.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT 1 FROM documents WHERE key_hash = $1 FOR UPDATE`, keyHash(locked.Key)); err != nil {
		t.Fatal(err)
	}
	var waiting sync.WaitGroup
	large := batchDoc("locked", `{"big":"`+strings.Repeat("x", docBatchContentMax)+`"}`)
	for range 6 {
		waiting.Go(func() { _ = s.DeleteDocument(ctx, locked.Key, lrs.Condition{}) })
		waiting.Go(func() { _ = s.PutDocument(ctx, large, lrs.Condition{}) })
	}
	// Wait until at least four hold connections, waiting on the lock: as
	// many as the document pools have.
	for n := 0; n < 4; {
		if err := s.w.GetContext(ctx, &n, `SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'`); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}

	done := make(chan error, 1)
	go func() {
		other := batchDoc("other", `{"b":2}`)
		if err := s.PutDocument(ctx, other, lrs.Condition{}); err != nil {
			done <- err
			return
		}
		got, err := s.Document(ctx, other.Key)
		if err == nil && string(got.Content) != `{"b":2}` {
			err = fmt.Errorf("read back %s", got.Content)
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a write and read of another document waited behind the locked document's writers")
	}
	tx.Rollback()
	waiting.Wait()
}
