package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// benchStateDoc is a state document of the size a course player keeps.
const benchStateDoc = `{"bookmark":"lesson-%d","progress":%d,"answers":{"q1":"b","q2":["a","c"],"q3":"The listener reflects feelings back."},` +
	`"visited":["intro","lesson-1","lesson-2","lesson-3"],"score":{"raw":%d,"max":100},"updated":"2026-11-23T10:00:00Z"}`

// stateTargets makes the request targets (path and query) of the state
// documents: 1,000 learners, 100 activities, then more state ids. The
// targets differ only in three numbers, so the escaping is done once:
// building each with url.Values took a seventh of the load generator's
// CPU, which it shares with the LRS it measures.
type stateTargets struct {
	activity, agent, stateID string // the query up to each number
	agentEnd                 string
}

func newStateTargets(base *url.URL) stateTargets {
	ref, _ := url.Parse("activities/state")
	return stateTargets{
		activity: base.ResolveReference(ref).RequestURI() + "?activityId=" + url.QueryEscape(benchCourse+"/activities/a"),
		agent:    "&agent=" + url.QueryEscape(`{"account":{"homePage":"https://lms.example.org","name":"learner-`),
		agentEnd: url.QueryEscape(`"}}`),
		stateID:  "&stateId=" + url.QueryEscape("suspend-"),
	}
}

// target appends the i-th document's target to buf.
func (t stateTargets) target(buf []byte, i int) []byte {
	buf = fmt.Appendf(append(buf, t.activity...), "%03d", i/1000%100)
	buf = fmt.Appendf(append(buf, t.agent...), "%04d", i%1000)
	buf = append(buf, t.agentEnd...)
	return strconv.AppendInt(append(buf, t.stateID...), int64(i/100000), 10)
}

// stateMode stores the documents unless told they are there, then returns
// the measured loop: each client PUTs a document and GETs it back, and
// the pair is one round trip.
func (b *bencher) stateMode(ctx context.Context, out io.Writer, clients, documents int, fill bool) (func(ctx context.Context, w int, remaining *atomic.Int64) error, error) {
	if documents < 1 {
		return nil, usagef("--documents must be at least 1")
	}
	b.targets = newStateTargets(b.base)
	if fill {
		start := time.Now()
		var next atomic.Int64
		var wg sync.WaitGroup
		errs := make([]error, clients)
		for w := range clients {
			wg.Go(func() {
				c := newBenchConn(b.base, b.key, b.secret)
				defer c.Close()
				for i := int(next.Add(1)) - 1; i < documents && ctx.Err() == nil; i = int(next.Add(1)) - 1 {
					if code, err := b.stateRequest(ctx, c, http.MethodPut, i); err != nil || code != http.StatusNoContent {
						errs[w] = fmt.Errorf("fill: PUT state %d: %d %v", i, code, err)
						return
					}
				}
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return nil, err
			}
		}
		fmt.Fprintf(out, "fill: %d state documents in %s\n", documents, time.Since(start).Round(time.Millisecond))
	}
	return func(ctx context.Context, w int, remaining *atomic.Int64) error {
		gen := newStatementGen(uint64(w) + 1)
		c := newBenchConn(b.base, b.key, b.secret)
		defer c.Close()
		for ctx.Err() == nil && remaining.Add(-1) >= 0 {
			i := gen.rng.IntN(documents)
			start := time.Now()
			put, err := b.stateRequest(ctx, c, http.MethodPut, i)
			if err != nil {
				return ignoreDone(ctx, err)
			}
			get, err := b.stateRequest(ctx, c, http.MethodGet, i)
			if err != nil {
				return ignoreDone(ctx, err)
			}
			lat := time.Since(start)
			b.mu.Lock()
			if put == http.StatusNoContent && get == http.StatusOK {
				b.latencies = append(b.latencies, lat)
				b.items++
			} else {
				b.failures++
			}
			b.mu.Unlock()
			if put == http.StatusUnauthorized || put == http.StatusForbidden {
				return fmt.Errorf("PUT state: %d; check --credential and its scopes (state)", put)
			}
		}
		return nil
	}, nil
}

// stateRequest sends a PUT of the i-th document's content, or a GET of it,
// on c and returns the status.
func (b *bencher) stateRequest(ctx context.Context, c *benchConn, method string, i int) (int, error) {
	var body []byte
	if method == http.MethodPut {
		body = fmt.Appendf(nil, benchStateDoc, i%12, i%100, i%101)
	}
	c.target = b.targets.target(c.target[:0], i)
	return c.do(ctx, method, c.target, body)
}

// ignoreDone drops the error of a request cut off by the end of the run.
func ignoreDone(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}
