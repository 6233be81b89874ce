package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestServeProgressFlag checks that serve folds the statements stored so
// far before it listens, and that --progress=false (a node that only
// ingests) does not.
func TestServeProgressFlag(t *testing.T) {
	ctx := context.Background()
	db := "sqlite:" + filepath.Join(t.TempDir(), "lrs.db")
	const course = "https://courses.coursekit.example/peer-support-training"
	first := startServer(t, db, "--progress=false")
	statement := `{"actor":{"mbox":"mailto:ann@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},
		"object":{"id":"` + course + `/lessons/introduction"}}`
	if code, body := first.do(t, "POST", "/xapi/statements", first.admin, statement); code != 200 {
		t.Fatalf("POST statement = %d %s", code, body)
	}
	first.stop()
	if code, _, stderr := runCLI(t, "courses", "add", "--db", db, filepath.Join("..", "..", "content", "peer-support-training")); code != exitOK {
		t.Fatalf("courses add = exit %d: %s", code, stderr)
	}
	cursor := func() int64 {
		t.Helper()
		store, err := openStore(ctx, db, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		seq, err := store.Progress().Cursor(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return seq
	}
	for _, tc := range []struct {
		flags []string
		want  int64
	}{
		{[]string{"--progress=false"}, 0},
		{nil, 1},
	} {
		srv := startServer(t, db, tc.flags...)
		// The worker catches up in the background, within its first
		// second; wait for it, then make sure it does not go further.
		got := cursor()
		for deadline := time.Now().Add(30 * time.Second); got < tc.want && time.Now().Before(deadline); got = cursor() {
			time.Sleep(50 * time.Millisecond)
		}
		if tc.want == 0 {
			time.Sleep(1500 * time.Millisecond) // a worker, if wrongly running, would have folded by now
			got = cursor()
		}
		if got != tc.want {
			t.Errorf("serve %v: progress cursor = %d, want %d", tc.flags, got, tc.want)
		}
		srv.stop()
	}
}

// stop kills the server and waits for it to exit (the test's cleanup
// then finds it exited).
func (s *server) stop() {
	s.cmd.Process.Kill()
	err := <-s.done
	s.done <- err
}
