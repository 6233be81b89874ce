package packager_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/api"
	"github.com/coursekit/coursekit/lrs/lrstest"
)

// testLRS is coursekit's LRS on SQLite, in-process, on a loopback port of
// its own (another origin than the test LMS, as in real life), behind a
// switch that takes it off the network: while down, every request's
// connection is closed without an answer, as when the LRS host is gone.
type testLRS struct {
	srv      *httptest.Server
	endpoint string // the xAPI base URL, ending in /
	creds    *lrs.Credentials
	admin    string // key:secret with scope all
	down     atomic.Bool
	// launcher, set before start, adds the document resources and the
	// cmi5 launcher, as coursekit serve has them.
	launcher bool
	// refusals counts the requests refused while down.
	refusals atomic.Int64
}

// testerHeader marks the test's own requests, which reach the LRS even
// while it is down for browsers.
const testerHeader = "X-Coursekit-Tester"

// newTestLRS prepares the LRS; start it with start(origin) once the
// origin browsers will call it from is known.
func newTestLRS(t *testing.T) *testLRS {
	t.Helper()
	l := &testLRS{}
	l.srv = httptest.NewUnstartedServer(http.HandlerFunc(l.serve))
	l.endpoint = "http://" + l.srv.Listener.Addr().String() + "/xapi/"
	return l
}

func (l *testLRS) start(t *testing.T, origin string) {
	t.Helper()
	opts := []lrstest.Option{lrstest.Config(api.Config{AllowedOrigins: []string{origin}})}
	if l.launcher {
		opts = append(opts, lrstest.Launcher())
	}
	s := lrstest.New(t, opts...)
	l.creds, l.admin = s.Credentials, s.Admin
	l.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l.down.Load() && r.Header.Get(testerHeader) == "" {
			l.refuse(w, r)
			return
		}
		s.Handler.ServeHTTP(w, r)
	})
	l.srv.Start()
	t.Cleanup(l.srv.Close)
}

func (l *testLRS) serve(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "not started", http.StatusServiceUnavailable)
}

// refuse counts the request and drops its connection without a response.
func (l *testLRS) refuse(w http.ResponseWriter, r *http.Request) {
	l.refusals.Add(1)
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func (l *testLRS) credential(t *testing.T, scopes ...string) string {
	t.Helper()
	k, s, err := l.creds.Create(context.Background(), "course package", scopes)
	if err != nil {
		t.Fatal(err)
	}
	return k + ":" + s
}

// statement is a stored statement as the tests read it.
type statement struct {
	ID        string `json:"id"`
	Timestamp string `json:"timestamp"`
	Actor     struct {
		Name    string `json:"name"`
		Mbox    string `json:"mbox"`
		Account *struct {
			HomePage string `json:"homePage"`
			Name     string `json:"name"`
		} `json:"account"`
	} `json:"actor"`
	Verb struct {
		ID string `json:"id"`
	} `json:"verb"`
	Object struct {
		ID         string `json:"id"`
		Definition struct {
			Type            string   `json:"type"`
			InteractionType string   `json:"interactionType"`
			Correct         []string `json:"correctResponsesPattern"`
		} `json:"definition"`
	} `json:"object"`
	Result *struct {
		Success    *bool  `json:"success"`
		Completion *bool  `json:"completion"`
		Response   string `json:"response"`
		Duration   string `json:"duration"`
		Score      *struct {
			Scaled float64  `json:"scaled"`
			Raw    *float64 `json:"raw"`
		} `json:"score"`
	} `json:"result"`
	Context struct {
		Registration      string `json:"registration"`
		ContextActivities map[string][]struct {
			ID string `json:"id"`
		} `json:"contextActivities"`
		Extensions map[string]any `json:"extensions"`
	} `json:"context"`
	Authority json.RawMessage `json:"authority"`
}

// verb is the last segment of the verb IRI.
func (s statement) verb() string { return s.Verb.ID[strings.LastIndex(s.Verb.ID, "/")+1:] }

func (s statement) activities(kind string) []string {
	var ids []string
	for _, a := range s.Context.ContextActivities[kind] {
		ids = append(ids, a.ID)
	}
	return ids
}

// statements returns the statements of a registration in timestamp order
// (the order the learner made them; the queue may deliver a batch sent at
// page close alongside an earlier one).
func (l *testLRS) statements(t *testing.T, registration string) []statement {
	t.Helper()
	q := url.Values{"registration": {registration}, "ascending": {"true"}, "limit": {"0"}}
	var all []statement
	next := l.endpoint + "statements?" + q.Encode()
	for next != "" {
		req, _ := http.NewRequest(http.MethodGet, next, nil)
		k, s, _ := strings.Cut(l.admin, ":")
		req.SetBasicAuth(k, s)
		req.Header.Set("X-Experience-API-Version", "1.0.3")
		req.Header.Set(testerHeader, "1")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Statements []statement `json:"statements"`
			More       string      `json:"more"`
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET statements: %d %s", resp.StatusCode, body)
		}
		if err := json.NewDecoder(bytes.NewReader(body)).Decode(&page); err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Statements...)
		next = ""
		if page.More != "" {
			u, _ := url.Parse(l.endpoint)
			next = u.Scheme + "://" + u.Host + page.More
		}
	}
	slices.SortStableFunc(all, func(a, b statement) int { return strings.Compare(a.Timestamp, b.Timestamp) })
	return all
}

// waitForStatements polls the LRS until the registration has n statements.
func (l *testLRS) waitForStatements(t *testing.T, registration string, n int) []statement {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		got := l.statements(t, registration)
		if len(got) >= n || time.Now().After(deadline) {
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// step is one expected statement: its verb and object.
type step struct{ verb, object string }

func (s step) String() string { return s.verb + " " + s.object }

func steps(sts []statement) []step {
	out := make([]step, len(sts))
	for i, s := range sts {
		out[i] = step{s.verb(), s.Object.ID}
	}
	return out
}

// diffSteps reports where two statement sequences part.
func diffSteps(t *testing.T, want, got []step) {
	t.Helper()
	for i := range max(len(want), len(got)) {
		var w, g string
		if i < len(want) {
			w = want[i].String()
		}
		if i < len(got) {
			g = got[i].String()
		}
		if w != g {
			t.Errorf("statement %d: got %q, want %q (%d statements, want %d)", i, g, w, len(got), len(want))
			return
		}
	}
}

// addPackage serves another extracted package from the test LMS, under
// /pkg/NAME/, once the LMS runs (packages that report to an LRS are built
// once the LRS and the LMS have their addresses).
func addPackage(srv *httptest.Server, name, dir string) {
	prefix := "/pkg/" + name + "/"
	srv.Config.Handler.(*http.ServeMux).Handle(prefix, http.StripPrefix(prefix, http.FileServer(http.Dir(dir))))
}

// launchQuery is a launch URL's query string.
func launchQuery(params map[string]string) string {
	q := url.Values{}
	for k, v := range params {
		q.Set(k, v)
	}
	return q.Encode()
}

func basic(cred string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(cred))
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprint(err))
	}
	return string(b)
}
