package sqlstore

import (
	"context"
	"fmt"
	"testing"

	"github.com/coursekit/coursekit/lrs/progress"
)

// TestProgressTwoNodes checks that a node's cache of the progress it wrote
// is not used once another node has written: two stores on one database
// take turns folding the script's statements, in several orders, and the
// progress must be what folding all of them at once gives.
func TestProgressTwoNodes(t *testing.T) {
	for _, db := range testDatabases {
		for _, turns := range []string{"AAAAAAAAAAAAAAAA", "ABABABABABABABAB", "AABBAABBAABBAABB", "ABBBBBBBBBBBBBBA"} {
			t.Run(fmt.Sprintf("%s/%s", db.name, turns), func(t *testing.T) {
				ctx := context.Background()
				dsn := db.dsn(t)
				a, b := mustOpen(t, dsn), mustOpen(t, dsn)
				if err := a.Progress().PutCourse(ctx, progressTestCourse()); err != nil {
					t.Fatalf("PutCourse = %v", err)
				}
				workers := map[rune]*progress.Worker{
					'A': progress.NewWorker(a.Progress(), testLogger(t)),
					'B': progress.NewWorker(b.Progress(), testLogger(t)),
				}
				script := progressScript()
				for i, node := range turns[:len(script)] {
					insertScript(t, a, i+1, script[i:i+1])
					if err := workers[node].CatchUp(ctx); err != nil {
						t.Fatalf("CatchUp = %v", err)
					}
				}
				checkAgainstRebuild(t, a, workers['A'])
			})
		}
	}
}
