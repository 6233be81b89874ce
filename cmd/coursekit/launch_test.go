package main

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/coursekit/coursekit/lrs/storetest"
)

// fetchToken POSTs to a fetch URL on srv and returns the answer.
func fetchToken(t *testing.T, srv *server, fetchURL string) map[string]string {
	t.Helper()
	u, err := url.Parse(fetchURL)
	if err != nil {
		t.Fatal(err)
	}
	code, body := srv.do(t, "POST", u.Path, "", "")
	var out map[string]string
	if code != 200 || json.Unmarshal(body, &out) != nil {
		t.Fatalf("POST %s = %d %s", u.Path, code, body)
	}
	return out
}

func tokenCredential(t *testing.T, answer map[string]string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(answer["auth-token"])
	if err != nil || !strings.Contains(string(b), ":") {
		t.Fatalf("fetch answered %v, want an auth-token", answer)
	}
	return string(b)
}

// TestLaunchCommand launches through a coursekit serve process with
// coursekit launch, and uses the launch URL as an AU would.
func TestLaunchCommand(t *testing.T) {
	srv := startServer(t, "sqlite:"+filepath.Join(t.TempDir(), "lrs.db"))
	const au = "https://courses.coursekit.example/peer-support-training/au"
	code, stdout, stderr := runCLI(t, "launch", "--endpoint", srv.url+"/xapi/", "--credential", srv.admin, "--au", au,
		"--url", "http://127.0.0.1:8000/index.html", "--learner", "jane-7", "--name", "Jane Doe", "--mastery-score", "0.8")
	if code != exitOK {
		t.Fatalf("launch = %d\n%s%s", code, stdout, stderr)
	}
	u, err := url.Parse(strings.TrimSpace(stdout))
	if err != nil || u.Path != "/index.html" || u.Query().Get("endpoint") != srv.url+"/xapi/" || !strings.HasPrefix(u.Query().Get("fetch"), srv.url+"/cmi5/fetch/") ||
		!strings.Contains(u.Query().Get("actor"), `"homePage":"`+srv.url+`"`) {
		t.Fatalf("launch printed %q, want the AU's launch URL with the LRS's endpoint, fetch URL and learner", stdout)
	}
	tok := tokenCredential(t, fetchToken(t, srv, u.Query().Get("fetch")))
	if again := fetchToken(t, srv, u.Query().Get("fetch")); again["error-code"] != "1" {
		t.Errorf("second fetch = %v, want error-code 1", again)
	}
	q := url.Values{"activityId": {u.Query().Get("activityId")}, "agent": {u.Query().Get("actor")},
		"registration": {u.Query().Get("registration")}, "stateId": {"LMS.LaunchData"}}
	if code, body := srv.do(t, "GET", "/xapi/activities/state?"+q.Encode(), tok, ""); code != 200 || !strings.Contains(string(body), `"masteryScore":0.8`) {
		t.Errorf("LMS.LaunchData with the token = %d %s", code, body)
	}

	// The AU is known now: its id is enough, and --json prints everything.
	code, stdout, stderr = runCLI(t, "launch", "--endpoint", srv.url, "--credential", srv.admin, "--au", au, "--learner", "john-8", "--mode", "Review", "--json")
	var got struct{ ActivityID, LaunchMode, Registration string }
	if code != exitOK || json.Unmarshal([]byte(stdout), &got) != nil || got.ActivityID != u.Query().Get("activityId") || got.LaunchMode != "Review" {
		t.Errorf("launch --json = %d %s%s; want the same activity, in Review", code, stdout, stderr)
	}

	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no credential", []string{"--au", au, "--learner", "x"}, exitUsage, "--credential KEY:SECRET"},
		{"no learner", []string{"--credential", srv.admin, "--au", au}, exitUsage, "--learner is required"},
		{"no AU", []string{"--credential", srv.admin, "--learner", "x"}, exitUsage, "--au (or --course)"},
		{"wrong secret", []string{"--credential", strings.Split(srv.admin, ":")[0] + ":nope", "--au", au, "--learner", "x"}, exitFailure, "401"},
		{"unknown AU", []string{"--credential", srv.admin, "--au", "https://example.org/new", "--learner", "x"}, exitFailure, "url is required"},
		{"bad mode", []string{"--credential", srv.admin, "--au", au, "--learner", "x", "--mode", "Free"}, exitFailure, "launchMode must be one of"},
	}
	for _, tt := range tests {
		args := append([]string{"launch", "--endpoint", srv.url}, tt.args...)
		if code, _, stderr := runCLI(t, args...); code != tt.code || !strings.Contains(stderr, tt.stderr) {
			t.Errorf("%s: launch = %d %q, want %d with %q", tt.name, code, stderr, tt.code, tt.stderr)
		}
	}
	if code, _, stderr := runCLI(t, "serve", "--public-url", "lrs.example.org"); code != exitUsage || !strings.Contains(stderr, "not an http(s) URL") {
		t.Errorf("serve --public-url without a scheme = %d %q, want a usage error", code, stderr)
	}
}

// TestLaunchTwoNodes: a launch on one node, its fetch on another; the
// fetch URL works once across both, and the token on either.
func TestLaunchTwoNodes(t *testing.T) {
	db := storetest.PostgresDSN(t)
	a := startServer(t, db)
	b := startServer(t, db)
	admin := a.admin + b.admin // the one that created it printed it
	launch := func() (fetch string, u *url.URL) {
		t.Helper()
		code, stdout, stderr := runCLI(t, "launch", "--endpoint", a.url, "--credential", admin, "--au", "https://example.org/course/au",
			"--url", "http://127.0.0.1:8000/index.html", "--learner", "jane-7")
		if code != exitOK {
			t.Fatalf("launch = %d %s%s", code, stdout, stderr)
		}
		u, _ = url.Parse(strings.TrimSpace(stdout))
		return u.Query().Get("fetch"), u
	}
	fetch, u := launch()
	tok := tokenCredential(t, fetchToken(t, b, fetch))
	if again := fetchToken(t, a, fetch); again["error-code"] != "1" {
		t.Errorf("fetch on the other node = %v, want error-code 1", again)
	}
	st := `{"actor":` + u.Query().Get("actor") + `,"verb":{"id":"http://adlnet.gov/expapi/verbs/initialized"},"object":{"id":"` + u.Query().Get("activityId") + `"},` +
		`"context":{"registration":"` + u.Query().Get("registration") + `","extensions":{"https://w3id.org/xapi/cmi5/context/extensions/sessionid":` +
		`"` + sessionOf(t, a, admin, u) + `"}}}`
	for _, node := range []*server{a, b} {
		if code, body := node.do(t, "POST", "/xapi/statements", tok, "["+st+"]"); code != 200 {
			t.Errorf("the token on %s = %d %s", node.url, code, body)
		}
	}

	// Fetches of one URL on both nodes at once: one token.
	fetch, _ = launch()
	answers := make([]map[string]string, 8)
	var wg sync.WaitGroup
	for i := range answers {
		wg.Go(func() { answers[i] = fetchToken(t, []*server{a, b}[i%2], fetch) })
	}
	wg.Wait()
	tokens := 0
	for _, ans := range answers {
		if ans["auth-token"] != "" {
			tokens++
		} else if ans["error-code"] != "1" {
			t.Errorf("a losing fetch answered %v, want error-code 1", ans)
		}
	}
	if tokens != 1 {
		t.Errorf("%d of %d concurrent fetches on two nodes got a token, want 1", tokens, len(answers))
	}
}

// sessionOf reads the launch's session id from its LMS.LaunchData.
func sessionOf(t *testing.T, srv *server, admin string, launch *url.URL) string {
	t.Helper()
	q := url.Values{"activityId": {launch.Query().Get("activityId")}, "agent": {launch.Query().Get("actor")},
		"registration": {launch.Query().Get("registration")}, "stateId": {"LMS.LaunchData"}}
	code, body := srv.do(t, "GET", "/xapi/activities/state?"+q.Encode(), admin, "")
	var ld struct {
		ContextTemplate struct{ Extensions map[string]string }
	}
	if code != 200 || json.Unmarshal(body, &ld) != nil {
		t.Fatalf("LMS.LaunchData = %d %s", code, body)
	}
	return ld.ContextTemplate.Extensions["https://w3id.org/xapi/cmi5/context/extensions/sessionid"]
}
