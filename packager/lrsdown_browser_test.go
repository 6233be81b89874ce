package packager_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/coursekit/coursekit/packager"
)

// TestLRSDownMidCourse takes the LRS off the network while a learner works
// through the xAPI package, twice: once it comes back while the page is
// still open, and once only after the learner has closed the page and
// opened the course again. Every statement arrives, once, in order.
func TestLRSDownMidCourse(t *testing.T) {
	c := mustLoad(t, peerSupport)
	results, err := packager.Build(context.Background(), c, packager.Options{Formats: []packager.Format{packager.XAPI}, OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	l := newTestLRS(t)
	srv := serveLMS(t, map[string]string{"xapi": extract(t, results[0].Path)})
	l.start(t, srv.URL)
	cred := l.credential(t, "statements/write")
	ctx := newBrowser(t)

	reg := uuid.NewString()
	q := launchQuery(map[string]string{"endpoint": l.endpoint, "auth": basic(cred),
		"actor": `{"objectType":"Agent","account":{"homePage":"https://lms.example.org","name":"sam"}}`, "registration": reg})
	page := url.QueryEscape("/pkg/xapi/index.html?" + q)
	launch(t, ctx, srv, "xapi", "down", page)
	evalJS[bool](t, ctx, `drive.click('[data-ck-lesson="positive-risk-taking"]')`)
	waitFor(t, ctx, `drive.lesson() === "positive-risk-taking" && drive.state().pending === 0`)
	if n := len(l.statements(t, reg)); n != 3 {
		t.Fatalf("before the outage the LRS has %d statements, want 3", n)
	}

	// Down while the page is open: answers wait in the queue, which the
	// test reads from the page's localStorage (the test LMS serves the
	// package from its own origin).
	l.down.Store(true)
	evalJS[string](t, ctx, `drive.answer("risk-two-way", true)`)
	evalJS[string](t, ctx, `drive.answer("risk-three-points", true)`)
	waitFor(t, ctx, `drive.state().pending === 2`)
	waitUntil(t, func() bool { return l.refusals.Load() > 0 })
	delayed := queued(t, ctx)
	if n := len(l.statements(t, reg)); n != 3 || len(delayed) != 2 {
		t.Errorf("during the outage the LRS has %d statements and the page queues %d, want still 3 and 2", n, len(delayed))
	}
	// Back: the next answer sends everything, oldest first.
	l.down.Store(false)
	evalJS[string](t, ctx, `drive.answer("risk-averse-cultures", true)`)
	waitFor(t, ctx, `drive.state().pending === 0`)

	// Down again, and the learner closes the page: its last requests, sent
	// as the page goes, meet the dead LRS too.
	l.down.Store(true)
	refusals := l.refusals.Load()
	evalJS[string](t, ctx, `drive.answer("comfort-zone", true)`)
	waitFor(t, ctx, `drive.state().pending === 1`)
	evalJS[bool](t, ctx, `drive.leave()`)
	waitUntil(t, func() bool { return len(queued(t, ctx)) == 2 && l.refusals.Load() > refusals })
	delayed = append(delayed, queued(t, ctx)...)
	l.down.Store(false)

	// The learner opens the course again: what the last page could not
	// send goes first.
	launch(t, ctx, srv, "xapi", "down", page)
	waitFor(t, ctx, `drive.state().pending === 0`)
	lesson := func(id string) string { return c.ID + "/lessons/" + id }
	answer := func(id string) string { return c.ID + "/interactions/" + id }
	want := []step{
		{"initialized", c.ID}, {"experienced", lesson("introduction")}, {"experienced", lesson("positive-risk-taking")},
		{"answered", answer("risk-two-way")}, {"answered", answer("risk-three-points")}, {"answered", answer("risk-averse-cultures")},
		{"answered", answer("comfort-zone")}, {"terminated", c.ID},
		{"initialized", c.ID}, {"experienced", lesson("introduction")},
	}
	got := l.waitForStatements(t, reg, len(want))
	diffSteps(t, want, steps(got))
	stored := map[string]int{}
	for _, s := range got {
		stored[s.ID]++
	}
	for _, id := range delayed {
		if stored[id] != 1 {
			t.Errorf("statement %s, queued while the LRS was down, is stored %d times, want once", id, stored[id])
		}
	}
	if len(delayed) != 4 || len(queued(t, ctx)) != 0 {
		t.Errorf("%d statements waited out the outages, %d are still queued; want 4 and none", len(delayed), len(queued(t, ctx)))
	}
}

// queued returns the ids of the statements waiting in the browser's queue.
func queued(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return evalJS[[]string](t, ctx, `JSON.parse(localStorage.getItem('coursekit.statements') || '[]').map((it) => it.statement.id)`)
}

// waitUntil polls a condition on the Go side (what the LRS received).
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
