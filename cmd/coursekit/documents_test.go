package main

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/coursekit/coursekit/lrs/storetest"
)

// TestTwoNodesIfMatch runs two LRS processes on one PostgreSQL database
// and, round after round, sends writers with the same If-Match to both at
// once: exactly one write wins across the two processes, the others get
// 412, and both processes then serve the winner's document.
func TestTwoNodesIfMatch(t *testing.T) {
	db := storetest.PostgresDSN(t)
	first := startServer(t, db)
	second := startServer(t, db)
	nodes := []*server{first, second}
	admin := first.admin + second.admin
	q := url.Values{
		"activityId": {"https://example.org/two-nodes"},
		"agent":      {`{"mbox":"mailto:ann@example.org"}`},
		"stateId":    {"contended"},
	}
	path := "/xapi/activities/state?" + q.Encode()
	current := `{"round":-1}`
	if code, _, body := docRequest(t, first, "PUT", path, admin, current, nil); code != 204 {
		t.Fatalf("PUT = %d %s", code, body)
	}
	const perNode, rounds = 2, 15
	for round := range rounds {
		n := perNode * len(nodes)
		codes := make([]int, n)
		bodies := make([]string, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for w := range n {
			bodies[w] = fmt.Sprintf(`{"round":%d,"writer":%d}`, round, w)
			wg.Go(func() {
				<-start
				codes[w], _, _ = docRequest(t, nodes[w%len(nodes)], "PUT", path, admin, bodies[w], map[string]string{"If-Match": etagOf(current)})
			})
		}
		close(start)
		wg.Wait()
		winner := -1
		for w, c := range codes {
			switch {
			case c == 204 && winner < 0:
				winner = w
			case c != 412:
				t.Fatalf("round %d: statuses %v (writer w on node w%%2), want one 204 and the rest 412", round, codes)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: statuses %v, want one 204", round, codes)
		}
		for i, node := range nodes {
			code, hdr, body := docRequest(t, node, "GET", path, admin, "", nil)
			if code != 200 || body != bodies[winner] || hdr.Get("ETag") != etagOf(bodies[winner]) {
				t.Fatalf("round %d: node %d serves %d %s (ETag %s), want the winner's %s", round, i, code, body, hdr.Get("ETag"), bodies[winner])
			}
		}
		current = bodies[winner]
	}
}

// docRequest sends a document request with extra headers and returns the
// status, headers and body.
func docRequest(t *testing.T, s *server, method, path, cred, body string, hdr map[string]string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Experience-API-Version", "1.0.3")
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if k, sec, ok := strings.Cut(cred, ":"); ok {
		req.SetBasicAuth(k, sec)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("%s %s: %v", method, path, err)
		return 0, nil, ""
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(data)
}

func etagOf(content string) string {
	sum := sha1.Sum([]byte(content))
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

func TestBenchStateCommand(t *testing.T) {
	srv := startServer(t, "sqlite:"+filepath.Join(t.TempDir(), "lrs.db"))
	code, stdout, stderr := runCLI(t, "bench", "--mode", "state", "--endpoint", srv.url+"/xapi/", "--credential", srv.admin,
		"--documents", "50", "--statements", "40", "--clients", "4")
	if code != exitOK || !strings.Contains(stdout, "fill: 50 state documents") || !strings.Contains(stdout, "state: 40 round trips") ||
		!strings.Contains(stdout, "0 failed") {
		t.Fatalf("bench state = %d\n%s%s", code, stdout, stderr)
	}
	q := url.Values{
		"activityId": {benchCourse + "/activities/a000"},
		"agent":      {`{"account":{"homePage":"https://lms.example.org","name":"learner-0049"}}`},
	}
	if code, _, body := docRequest(t, srv, "GET", "/xapi/activities/state?"+q.Encode(), srv.admin, "", nil); code != 200 || body != `["suspend-0"]` {
		t.Errorf("after bench the state ids of learner 49 = %d %s, want [\"suspend-0\"]", code, body)
	}
	code, _, stderr = runCLI(t, "bench", "--mode", "state", "--endpoint", srv.url+"/xapi/", "--credential", srv.admin, "--documents", "0")
	if code != exitUsage || !strings.Contains(stderr, "--documents") {
		t.Errorf("bench --documents 0 = %d %s, want a usage error", code, stderr)
	}
}
