package sqlstore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/progress"
)

// benchJourney returns the statements of learner n's journey through the
// test course, ten statements, with ids from first on.
func benchJourney(b *testing.B, n, first int) []lrs.Statement {
	who := fmt.Sprintf("l%d", n)
	progressActors[who] = struct {
		json map[string]any
		ifi  string
	}{map[string]any{"mbox": "mailto:" + who + "@example.org", "name": "Learner " + who}, "mbox:mailto:" + who + "@example.org"}
	reg := fmt.Sprintf("%08d-0000-4000-8000-000000000000", n)
	m := time.Minute
	script := []pst{
		{who: who, verb: "initialized", reg: reg},
		{who: who, verb: "experienced", object: "/lessons/l1", reg: reg, at: m},
		{who: who, verb: "answered", object: "/interactions/q1", reg: reg, at: 2 * m, result: map[string]any{"success": n%3 == 0, "response": "a[,]b"}},
		{who: who, verb: "experienced", object: "/lessons/l2", reg: reg, at: 3 * m},
		{who: who, verb: "answered", object: "/interactions/r1", reg: reg, at: 4 * m, result: map[string]any{"response": "I learned"}},
		{who: who, verb: "answered", object: "/interactions/q1", reg: reg, at: 5 * m, result: map[string]any{"success": true, "response": "a[,]c"}},
		{who: who, verb: "passed", reg: reg, at: 6 * m, result: map[string]any{"success": true, "score": map[string]any{"scaled": 0.9}, "duration": "PT6M"}},
		{who: who, verb: "completed", reg: reg, at: 7 * m, result: map[string]any{"completion": true, "duration": "PT7M"}},
		{who: who, verb: "experienced", object: "/lessons/l1", reg: reg, at: 8 * m},
		{who: who, verb: "terminated", reg: reg, at: 9 * m, result: map[string]any{"duration": "PT9M"}},
	}
	out := make([]lrs.Statement, len(script))
	for i, p := range script {
		out[i] = progressStatement(b, first+i, p)
		out[i].Stored = time.Now() // stored order is insertion order
	}
	return out
}

// BenchmarkProgressWorker measures how many statements a second the
// worker folds: each iteration rebuilds progress from 20,000 statements
// of 2,000 learners.
func BenchmarkProgressWorker(b *testing.B) {
	for _, db := range testDatabases {
		b.Run(db.name, func(b *testing.B) {
			ctx := context.Background()
			s := mustOpen(b, db.dsn(b))
			const learners = 2000
			for n := range learners {
				if err := s.InsertStatements(ctx, benchJourney(b, n, n*10+1), nil); err != nil {
					b.Fatal(err)
				}
			}
			ps := s.Progress()
			if err := ps.PutCourse(ctx, progressTestCourse()); err != nil {
				b.Fatal(err)
			}
			w := progress.NewWorker(ps, nil)
			b.ResetTimer()
			for b.Loop() {
				if err := w.Rebuild(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(learners*10*b.N)/b.Elapsed().Seconds(), "stmts/s")
		})
	}
}

// BenchmarkIngestWithProgress measures ingest (batches of 10 statements,
// 8 concurrent clients) with and without the progress worker following
// it, polling every 10 ms.
func BenchmarkIngestWithProgress(b *testing.B) {
	for _, db := range testDatabases {
		for _, withWorker := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/worker=%v", db.name, withWorker), func(b *testing.B) {
				ctx := context.Background()
				s := mustOpen(b, db.dsn(b))
				ps := s.Progress()
				if err := ps.PutCourse(ctx, progressTestCourse()); err != nil {
					b.Fatal(err)
				}
				// Journeys are built before timing: their JSON is the client's work.
				const clients = 8
				journeys := make([][]lrs.Statement, 0, b.N+clients)
				for n := range b.N + clients {
					journeys = append(journeys, benchJourney(b, n, n*10+1))
				}
				wctx, stop := context.WithCancel(ctx)
				done := make(chan struct{})
				if withWorker {
					w := progress.NewWorker(ps, nil)
					go func() { defer close(done); w.Run(wctx, 10*time.Millisecond) }()
				} else {
					close(done)
				}
				next := make(chan int)
				errs := make(chan error, clients)
				b.ResetTimer()
				start := time.Now()
				for range clients {
					go func() {
						for n := range next {
							if err := s.InsertStatements(ctx, journeys[n], nil); err != nil {
								errs <- err
								return
							}
						}
						errs <- nil
					}()
				}
				for n := range b.N {
					next <- n
				}
				close(next)
				for range clients {
					if err := <-errs; err != nil {
						b.Fatal(err)
					}
				}
				elapsed := time.Since(start)
				b.StopTimer()
				stop()
				<-done
				b.ReportMetric(float64(b.N*10)/elapsed.Seconds(), "stmts/s")
			})
		}
	}
}
