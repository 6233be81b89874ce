package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coursekit/coursekit/lrs/progress"
	"github.com/coursekit/coursekit/pkg/course"
)

type benchCmd struct{ stdout, stderr io.Writer }

const benchUsage = `
Usage: coursekit bench --endpoint URL --credential KEY:SECRET [flags]

Drives an LRS on this machine over loopback HTTP with realistic statements
(1,000 learners, 200 activities, mixed verbs, results and contexts) and
prints throughput and latency percentiles. Ingest mode POSTs batches from
concurrent clients; query mode runs filtered GETs (agent; verb; activity +
since; agent + related_activities) and reports each kind; page mode follows
more links --depth pages into a broad query and reports latency by page
depth; state mode stores --documents state documents, then has each client
PUT one and GET it back (a course player saving and resuming). The run
stops after
--statements or --duration, whichever comes first. Only loopback endpoints
are accepted: this is a measuring tool, not a load generator for others'
servers.
`

func (c *benchCmd) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("bench", benchUsage, c.stdout)
	endpoint := fs.String("endpoint", "http://127.0.0.1:8080/xapi/", "xAPI `URL` of the LRS (loopback only)")
	cred := fs.String("credential", "", "`KEY:SECRET` with statements/write (ingest) or statements/read (query)")
	mode := fs.String("mode", "ingest", "`ingest`, query, page or state")
	clients := fs.Int("clients", 8, "concurrent `clients`")
	batch := fs.Int("batch", 100, "statements per POST (1 sends single statements)")
	total := fs.Int("statements", 100000, "stop after this many statements (ingest) or requests (query)")
	duration := fs.Duration("duration", time.Minute, "stop after this long")
	depth := fs.Int("depth", 50, "page mode: pages each client follows before starting again")
	documents := fs.Int("documents", 100000, "state mode: the `number` of state documents the round trips spread over")
	courseDir := fs.String("course", "", "ingest mode: make statements about the lessons and questions of the course in `DIR` (register it with coursekit courses add, so that progress folds them)")
	fill := fs.Bool("fill", true, "state mode: store the documents before measuring (false reuses a database filled before)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("bench takes no arguments")
	}
	key, secret, ok := strings.Cut(*cred, ":")
	if !ok {
		return usagef("--credential must be KEY:SECRET")
	}
	base, err := loopbackURL(*endpoint)
	if err != nil {
		return usagef("%v", err)
	}
	if *clients < 1 || *batch < 1 || *total < 1 || *depth < 1 {
		return usagef("--clients, --batch, --statements and --depth must be at least 1")
	}
	b := &bencher{base: base, key: key, secret: secret, client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *clients}}}
	var run func(ctx context.Context, n int, remaining *atomic.Int64) error
	per := int64(*batch)
	switch *mode {
	case "ingest":
		if *courseDir != "" {
			loaded, err := course.Load(*courseDir)
			if err != nil {
				return err
			}
			b.course = benchCourseOf(progress.FromCourse(loaded))
		}
		pools := b.prepare(*clients, *batch)
		run = func(ctx context.Context, w int, remaining *atomic.Int64) error {
			return b.ingest(ctx, pools[w], *batch, remaining)
		}
	case "query":
		per = 1
		run = b.query
	case "page":
		per = 1
		run = func(ctx context.Context, w int, remaining *atomic.Int64) error {
			return b.page(ctx, w, *depth, remaining)
		}
	case "state":
		per = 1
		if run, err = b.stateMode(ctx, c.stdout, *clients, *documents, *fill); err != nil {
			return err
		}
	default:
		return usagef("--mode must be ingest, query, page or state")
	}
	// The clock starts once batches are made and documents stored.
	ctx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()
	remaining := &atomic.Int64{}
	remaining.Store(int64(*total))
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, *clients)
	for w := range *clients {
		wg.Go(func() { errs[w] = run(ctx, w, remaining) })
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := errors.Join(errs...); err != nil {
		return err
	}
	b.report(c.stdout, *mode, elapsed, per)
	return nil
}

// loopbackURL accepts only endpoints on this machine.
func loopbackURL(endpoint string) (*url.URL, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("--endpoint must be an http(s) URL")
	}
	if !isLoopback(net.JoinHostPort(u.Hostname(), "0")) {
		return nil, fmt.Errorf("--endpoint %s is not a loopback address; bench only measures an LRS on this machine", u.Hostname())
	}
	return u, nil
}

type bencher struct {
	base        *url.URL
	key, secret string
	client      *http.Client
	mu          sync.Mutex
	latencies   []time.Duration
	// byKind holds the latencies again by the kind of request (query kind,
	// page depth), for modes that report them.
	byKind   map[string][]time.Duration
	items    int64
	failures int64
	// course is the course ingested statements are about (--course).
	course *benchCourseIDs
	// targets makes state mode's request targets.
	targets stateTargets
}

// benchCourseOf returns a course's activity ids for the generator.
func benchCourseOf(c progress.Course) *benchCourseIDs {
	ids := &benchCourseIDs{id: c.ID}
	for _, l := range c.Lessons {
		ids.lessons = append(ids.lessons, l.ActivityID)
	}
	for _, q := range c.Questions {
		ids.questions = append(ids.questions, q.ActivityID)
	}
	return ids
}

// request sends one request and records its latency under kind (if not
// empty); it returns the response body of a success.
func (b *bencher) request(ctx context.Context, method, path, kind string, body []byte) ([]byte, error) {
	u := *b.base
	ref, _ := url.Parse(path)
	req, err := http.NewRequestWithContext(ctx, method, u.ResolveReference(ref).String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(b.key, b.secret)
	req.Header.Set("X-Experience-API-Version", "1.0.3")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := b.client.Do(req)
	if err != nil {
		return nil, err
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	lat := time.Since(start)
	b.mu.Lock()
	defer b.mu.Unlock()
	if resp.StatusCode >= 300 {
		b.failures++
		if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
			return nil, fmt.Errorf("%s %s: %s; check --credential and its scopes", method, path, resp.Status)
		}
		return nil, nil
	}
	b.latencies = append(b.latencies, lat)
	if kind != "" {
		if b.byKind == nil {
			b.byKind = map[string][]time.Duration{}
		}
		b.byKind[kind] = append(b.byKind[kind], lat)
	}
	return got, nil
}

// batchPool is how many distinct batches each ingest client cycles
// through. They are made before the clock starts, so that the load
// generator, which shares the machine's cores with the LRS, spends nothing
// on making statements while it measures. Statements carry no id, so the LRS
// assigns new ones and every POST stores new statements.
const batchPool = 16

func (b *bencher) prepare(workers, size int) [][][]byte {
	pools := make([][][]byte, workers)
	for w := range pools {
		gen := newStatementGen(uint64(w) + 1)
		gen.course = b.course
		for range batchPool {
			pools[w] = append(pools[w], gen.batch(size))
		}
	}
	return pools
}

func (b *bencher) ingest(ctx context.Context, pool [][]byte, size int, remaining *atomic.Int64) error {
	for i := 0; ctx.Err() == nil && remaining.Add(-int64(size)) > -int64(size); i++ {
		body := pool[i%len(pool)]
		if _, err := b.request(ctx, http.MethodPost, "statements", "", body); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		b.mu.Lock()
		b.items += int64(size)
		b.mu.Unlock()
	}
	return nil
}

func (b *bencher) query(ctx context.Context, worker int, remaining *atomic.Int64) error {
	gen := newStatementGen(uint64(worker) + 1)
	for ctx.Err() == nil && remaining.Add(-1) >= 0 {
		kind, q := gen.query()
		if _, err := b.request(ctx, http.MethodGet, "statements?"+q, kind, nil); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		b.mu.Lock()
		b.items++
		b.mu.Unlock()
	}
	return nil
}

func (b *bencher) report(w io.Writer, mode string, elapsed time.Duration, per int64) {
	unit := "statements"
	if mode != "ingest" {
		unit = "queries"
	}
	if mode == "state" {
		fmt.Fprintf(w, "%s: %d round trips in %s: %.0f round trips/s, each a PUT and a GET; %d failed\n",
			mode, b.items, elapsed.Round(time.Millisecond), float64(b.items)/elapsed.Seconds(), b.failures)
	} else {
		fmt.Fprintf(w, "%s: %d %s in %s: %.0f %s/s; %d requests (%d per request), %d failed\n",
			mode, b.items, unit, elapsed.Round(time.Millisecond), float64(b.items)/elapsed.Seconds(), unit,
			len(b.latencies), per, b.failures)
	}
	fmt.Fprintf(w, "latency %s\n", percentiles(b.latencies))
	for _, kind := range slices.Sorted(maps.Keys(b.byKind)) {
		fmt.Fprintf(w, "  %-28s %6d requests, %s\n", kind+":", len(b.byKind[kind]), percentiles(b.byKind[kind]))
	}
}

// percentiles describes latencies (which it sorts) by p50, p95, p99 and max.
func percentiles(latencies []time.Duration) string {
	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(float64(len(latencies))*p))].Round(10 * time.Microsecond)
	}
	return fmt.Sprintf("p50 %s p95 %s p99 %s max %s", pct(.50), pct(.95), pct(.99), pct(1))
}
