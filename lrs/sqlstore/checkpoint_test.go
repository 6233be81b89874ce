package sqlstore

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The WAL reaches the database file while the store is open, though the
// writer leaves checkpoints to the checkpointer.
func TestSQLiteCheckpoints(t *testing.T) {
	path := filepath.Join(t.TempDir(), "coursekit.db")
	s := mustOpen(t, "sqlite:"+path)
	size := func() int64 {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	if err := s.InsertStatements(context.Background(), benchStatements(500, 1), nil); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); size() == before; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("database file still %d bytes 10 s after the insert: the WAL was not checkpointed", before)
		}
	}
}
