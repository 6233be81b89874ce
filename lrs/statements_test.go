package lrs

import (
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestConsistentThroughLagsCommits(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	svc := NewService(nil, nil, func() time.Time { return now })
	if got, want := svc.ConsistentThrough(), now.Add(-MaxCommitDelay); !got.Equal(want) {
		t.Errorf("ConsistentThrough() = %v, want %v: a statement stored less than MaxCommitDelay ago may still be committing", got, want)
	}
}

// The ids the LRS assigns are time-ordered UUIDs, so that they land at the
// end of the store's id index.
func TestNewStatementIDIsTimeOrdered(t *testing.T) {
	prev := ""
	for range 1000 {
		id := newStatementID()
		u, err := uuid.Parse(id)
		if err != nil || u.Version() != 7 {
			t.Fatalf("newStatementID() = %q (version %v, err %v), want a version 7 UUID", id, u.Version(), err)
		}
		if id <= prev {
			t.Fatalf("newStatementID() = %q after %q, want ids in increasing order", id, prev)
		}
		prev = id
	}
}
