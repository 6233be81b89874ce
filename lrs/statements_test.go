package lrs

import (
	"testing"
	"time"
)

func TestConsistentThroughLagsCommits(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	svc := NewService(nil, nil, func() time.Time { return now })
	if got, want := svc.ConsistentThrough(), now.Add(-MaxCommitDelay); !got.Equal(want) {
		t.Errorf("ConsistentThrough() = %v, want %v: a statement stored less than MaxCommitDelay ago may still be committing", got, want)
	}
}
