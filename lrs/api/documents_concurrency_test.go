package api_test

import (
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/coursekit/coursekit/lrs/api"
	"github.com/coursekit/coursekit/lrs/storetest"
)

// TestConcurrentIfMatch fires writers at one document at the same moment,
// all with the If-Match of the version they read: whatever the
// interleaving, exactly one wins, the others get 412, and the document is
// the winner's. Round after round, on both databases, for PUT and for POST
// (whose merge reads the stored document first), and for creating a
// profile without preconditions (one 204, the others 409).
func TestConcurrentIfMatch(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { concurrentIfMatch(t, newTestLRS(t, api.Config{})) })
	t.Run("postgres", func(t *testing.T) { concurrentIfMatch(t, newTestLRSOn(t, api.Config{}, storetest.PostgresDSN(t))) })
}

func concurrentIfMatch(t *testing.T, l *testLRS) {
	const writers, rounds = 4, 15
	doc := state("contended")
	for _, method := range []string{"PUT", "POST"} {
		current := fmt.Sprintf(`{"method":%q,"round":-1}`, method)
		if rec := l.do(t, request{method: "PUT", target: doc, cred: l.Admin, body: current}); rec.Code != 204 {
			t.Fatalf("PUT = %d %s", rec.Code, rec.Body)
		}
		for round := range rounds {
			bodies := make([]string, writers)
			for w := range bodies {
				bodies[w] = fmt.Sprintf(`{"method":%q,"round":%d,"writer":%d}`, method, round, w)
			}
			codes := race(l, writers, func(w int) request {
				return request{method: method, target: doc, cred: l.Admin, body: bodies[w], headers: h("If-Match", etag(current))}
			})
			winner := oneWinner(t, codes, 204, 412, fmt.Sprintf("%s round %d", method, round))
			rec := l.do(t, request{method: "GET", target: doc, cred: l.Admin})
			// POST merges the winner's members over the same keys, so the
			// result is the winner's document either way.
			if rec.Code != 200 || rec.Body.String() != bodies[winner] {
				t.Fatalf("%s round %d: GET = %d %s, want the winner's %s", method, round, rec.Code, rec.Body, bodies[winner])
			}
			current = bodies[winner]
		}
	}
	for round := range rounds {
		profile := target("/xapi/agents/profile", "agent", agentAnn, "profileId", fmt.Sprint("new-", round))
		codes := race(l, writers, func(w int) request {
			return request{method: "PUT", target: profile, cred: l.Admin, body: fmt.Sprintf(`{"writer":%d}`, w)}
		})
		winner := oneWinner(t, codes, 204, 409, fmt.Sprintf("profile PUT round %d", round))
		rec := l.do(t, request{method: "GET", target: profile, cred: l.Admin})
		if want := fmt.Sprintf(`{"writer":%d}`, winner); rec.Body.String() != want {
			t.Fatalf("profile round %d: GET = %s, want the winner's %s", round, rec.Body, want)
		}
	}
}

// race sends n requests at once and returns their statuses.
func race(l *testLRS, n int, req func(w int) request) []int {
	codes := make([]int, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for w := range n {
		r := req(w)
		wg.Go(func() {
			<-start
			rec := httptest.NewRecorder()
			l.Handler.ServeHTTP(rec, newRequest(r))
			codes[w] = rec.Code
		})
	}
	close(start)
	wg.Wait()
	return codes
}

// oneWinner fails unless exactly one status is win and the others lose,
// and returns the winner.
func oneWinner(t *testing.T, codes []int, win, lose int, what string) int {
	t.Helper()
	winner := -1
	for w, c := range codes {
		switch {
		case c == win && winner < 0:
			winner = w
		case c != lose:
			t.Fatalf("%s: statuses %v, want one %d and the rest %d", what, codes, win, lose)
		}
	}
	if winner < 0 {
		t.Fatalf("%s: statuses %v, want one %d", what, codes, win)
	}
	return winner
}
