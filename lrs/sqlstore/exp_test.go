package sqlstore

import (
	"context"
	"os"
	"testing"
	"time"
)

func TestExpFill(t *testing.T) {
	dsn := os.Getenv("EXP_DSN")
	if dsn == "" {
		t.Skip()
	}
	s, err := Open(context.Background(), dsn, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	start := time.Now()
	for first := 0; first < 1000000; first += 1000 {
		t0 := time.Now()
		if err := s.InsertStatements(ctx, benchStatements(1000, first), nil); err != nil {
			t.Fatal(err)
		}
		if first%100000 == 0 {
			t.Logf("%d: batch %v", first, time.Since(t0))
		}
	}
	t.Logf("filled in %v", time.Since(start))
}
