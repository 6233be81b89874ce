package sqlstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/progress"
)

// benchJourney returns the statements of learner n's journey through the
// test course, ten statements, with ids from first on.
func benchJourney(b *testing.B, n, first int) []lrs.Statement {
	who := benchLearner(n)
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

// benchLearner adds learner n to the actors statements can name, and
// returns its name there.
func benchLearner(n int) string {
	who := fmt.Sprintf("l%d", n)
	progressActors[who] = struct {
		json map[string]any
		ifi  string
	}{map[string]any{"mbox": "mailto:" + who + "@example.org", "name": "Learner " + who}, "mbox:mailto:" + who + "@example.org"}
	return who
}

// openWithCourse opens a store with the test course registered.
func openWithCourse(b *testing.B, dsn string) (*Store, *ProgressStore) {
	s := mustOpen(b, dsn)
	ps := s.Progress()
	if err := ps.PutCourse(context.Background(), progressTestCourse()); err != nil {
		b.Fatal(err)
	}
	return s, ps
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
				s, ps := openWithCourse(b, db.dsn(b))
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

// BenchmarkWorkerFollow measures what the worker costs per statement as it
// follows ingest: each iteration stores a round of statements of learners
// picked at random from 1,000 (as `coursekit bench --course` sends them),
// untimed, then times the worker folding them. The ingest time of the
// rounds is reported beside it, so that the two can be compared.
func BenchmarkWorkerFollow(b *testing.B) {
	for _, db := range testDatabases {
		for _, round := range []int{1000, 8000} {
			b.Run(fmt.Sprintf("%s/round=%d", db.name, round), func(b *testing.B) {
				ctx := context.Background()
				s, ps := openWithCourse(b, db.dsn(b))
				const learners = 1000
				for n := range learners {
					benchLearner(n)
				}
				rng := rand.New(rand.NewPCG(1, 2))
				w := progress.NewWorker(ps, nil)
				var ingest time.Duration
				next := 1
				for b.Loop() {
					b.StopTimer()
					stmts := make([]lrs.Statement, round)
					for i := range stmts {
						n := rng.IntN(learners)
						p := pst{who: fmt.Sprintf("l%d", n), reg: fmt.Sprintf("%08d-0000-4000-8000-000000000000", n), at: time.Duration(next) * time.Second}
						switch rng.IntN(8) {
						case 0, 1:
							p.verb, p.object = "experienced", []string{"/lessons/l1", "/lessons/l2"}[rng.IntN(2)]
						case 2:
							p.verb, p.object = "answered", "/interactions/q1"
							p.result = map[string]any{"success": rng.IntN(2) == 0, "response": []string{"a", "b", "c"}[rng.IntN(3)]}
						case 3:
							p.verb, p.object = "answered", "/interactions/r1"
							p.result = map[string]any{"response": "I learned"}
						case 4:
							p.verb = "passed"
							p.result = map[string]any{"success": true, "score": map[string]any{"scaled": 0.9}, "duration": "PT6M"}
						case 5:
							p.verb = "completed"
							p.result = map[string]any{"completion": true, "duration": "PT7M"}
						case 6:
							p.verb = "initialized"
						default:
							p.verb = "terminated"
						}
						stmts[i] = progressStatement(b, next, p)
						stmts[i].Stored = time.Now()
						next++
					}
					start := time.Now()
					for lo := 0; lo < len(stmts); lo += 100 {
						if err := s.InsertStatements(ctx, stmts[lo:min(lo+100, len(stmts))], nil); err != nil {
							b.Fatal(err)
						}
					}
					ingest += time.Since(start)
					b.StartTimer()
					if err := w.CatchUp(ctx); err != nil {
						b.Fatal(err)
					}
				}
				n := float64(b.N * round)
				b.ReportMetric(float64(b.Elapsed().Microseconds())/n, "worker-µs/stmt")
				b.ReportMetric(float64(ingest.Microseconds())/n, "ingest-µs/stmt")
				b.ReportMetric(0, "ns/op")
			})
		}
	}
}
