package api_test

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/api"
	"github.com/coursekit/coursekit/lrs/sqlstore"
	"github.com/coursekit/coursekit/lrs/storetest"
)

// benchDocs is how many state documents BenchmarkStateRoundTrip stores
// before measuring; docs/performance.md has the 100,000-document run.
var benchDocs = flag.Int("docs", 10000, "state documents stored before BenchmarkStateRoundTrip measures")

// benchState is a state document of the size a course player keeps
// (bookmark, progress, answers).
const benchState = `{"bookmark":"lesson-%d","progress":%d,"answers":{"q1":"b","q2":["a","c"],"q3":"The listener reflects feelings back."},` +
	`"visited":["intro","lesson-1","lesson-2","lesson-3"],"score":{"raw":%d,"max":100},"updated":"2026-11-23T10:00:00Z"}`

// benchStateKey is the i-th document: 1,000 learners, 100 activities.
func benchStateKey(i int) (agent, activity string) {
	return fmt.Sprintf(`{"mbox":"mailto:learner%d@example.org"}`, i%1000),
		fmt.Sprintf("https://courses.coursekit.example/peer-support-training/activities/a%03d", i/1000%100)
}

// BenchmarkStateRoundTrip measures a course player's use of the State
// resource through the handlers: 16 clients each PUT a state document and
// GET it back, over -docs stored documents. It reports the round trip's
// p50 and p99.
func BenchmarkStateRoundTrip(b *testing.B) {
	for _, db := range []struct {
		name      string
		dsn, fill func(testing.TB) (string, string)
	}{
		{name: "sqlite", dsn: func(tb testing.TB) (string, string) {
			dsn := "sqlite:" + filepath.Join(tb.TempDir(), "lrs.db")
			return dsn, dsn + "?_pragma=synchronous(OFF)"
		}},
		{name: "postgres", dsn: func(tb testing.TB) (string, string) {
			dsn := storetest.PostgresDSN(tb)
			return dsn, dsn + "&synchronous_commit=off"
		}},
	} {
		b.Run(db.name, func(b *testing.B) {
			dsn, fillDSN := db.dsn(b)
			fillStates(b, fillDSN, *benchDocs)
			l := newTestLRSOn(b, api.Config{}, dsn)
			cred := l.credential(b, "state")
			// Verify the secret once (argon2id, tens of milliseconds) before
			// the clock starts, as a running LRS has.
			if rec := l.do(&testing.T{}, request{method: "GET", target: states(), cred: cred}); rec.Code != 200 {
				b.Fatalf("GET = %d %s", rec.Code, rec.Body)
			}
			var (
				mu   sync.Mutex
				took []time.Duration
				next atomic.Int64
			)
			b.SetParallelism(max(1, 16/runtime.GOMAXPROCS(0)))
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				var mine []time.Duration
				for pb.Next() {
					i := int(next.Add(7919)) % *benchDocs
					agent, activity := benchStateKey(i)
					url := target("/xapi/activities/state", "activityId", activity, "agent", agent, "stateId", "bookmark")
					start := time.Now()
					put := httptest.NewRecorder()
					l.Handler.ServeHTTP(put, newRequest(request{method: "PUT", target: url, cred: cred, body: fmt.Sprintf(benchState, i%12, i%100, i%101)}))
					get := httptest.NewRecorder()
					l.Handler.ServeHTTP(get, newRequest(request{method: "GET", target: url, cred: cred}))
					mine = append(mine, time.Since(start))
					if put.Code != 204 || get.Code != 200 {
						b.Errorf("PUT = %d %s, GET = %d %s", put.Code, put.Body, get.Code, get.Body)
						return
					}
				}
				mu.Lock()
				took = append(took, mine...)
				mu.Unlock()
			})
			b.StopTimer()
			slices.Sort(took)
			if len(took) > 0 {
				b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
			}
		})
	}
}

// fillStates stores n state documents through a store opened on dsn (one
// that trades durability for speed), from 16 goroutines.
func fillStates(b *testing.B, dsn string, n int) {
	b.Helper()
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, dsn, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				agent, activity := benchStateKey(i)
				a := strings.TrimSuffix(strings.TrimPrefix(agent, `{"mbox":"`), `"}`)
				doc := lrs.Document{
					Key:         lrs.DocumentKey{Kind: lrs.KindState, ActivityID: activity, Agent: "mbox:" + a, ID: "bookmark"},
					ContentType: "application/json", Content: fmt.Appendf(nil, benchState, i%12, i%100, i%101),
					SHA1: fmt.Sprintf("%040x", i), Updated: time.Now(),
				}
				if err := store.PutDocument(ctx, doc, lrs.Condition{}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}
