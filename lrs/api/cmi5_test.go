package api_test

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs/api"
	"github.com/coursekit/coursekit/lrs/cmi5"
	"github.com/coursekit/coursekit/lrs/lrstest"
)

// clock is a test's time, moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// launchLRS is an LRS with the cmi5 launcher, on its own clock, serving
// browsers from lmsOrigin.
type launchLRS struct {
	*testLRS
	clock *clock
}

const lmsOrigin = "https://lms.example.org"

func newLaunchLRS(t testing.TB, cfg api.Config) *launchLRS {
	t.Helper()
	// The service bounds a write by its stored time on the real clock, so
	// the test's clock starts at the real time and only moves ahead.
	clk := &clock{t: time.Now()}
	l := newTestLRSWith(t, "all/read", lrstest.Config(cfg), lrstest.Clock(clk.now), lrstest.Launcher())
	return &launchLRS{testLRS: l, clock: clk}
}

const (
	auID        = "https://courses.coursekit.example/peer-support-training/au"
	courseID    = "https://courses.coursekit.example/peer-support-training"
	auURL       = "https://courses.example.org/pst/index.html"
	learnerJSON = `{"homePage":"https://lms.example.org","name":"jane-7","displayName":"Jane Doe"}`
)

func launchBody(extra string) string {
	b := `{"learner":` + learnerJSON + `,"au":"` + auID + `","url":"` + auURL + `","course":"` + courseID + `"`
	if extra != "" {
		b += "," + extra
	}
	return b + "}"
}

// launch launches and returns the answer, failing the test unless it is 201.
func (l *launchLRS) launch(t *testing.T, body string) cmi5.Launch {
	t.Helper()
	rec := l.do(t, request{method: "POST", target: "/cmi5/launch", cred: l.Admin, body: body, version: "-"})
	var out cmi5.Launch
	if rec.Code != 201 || json.Unmarshal(rec.Body.Bytes(), &out) != nil {
		t.Fatalf("POST /cmi5/launch = %d %s, want 201", rec.Code, rec.Body)
	}
	return out
}

// fetch POSTs to a launch's fetch URL and returns the JSON answer.
func (l *launchLRS) fetch(t *testing.T, fetchURL string) map[string]string {
	t.Helper()
	u, _ := url.Parse(fetchURL)
	rec := l.do(t, request{method: "POST", target: u.Path, version: "-"})
	var out map[string]string
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" || json.Unmarshal(rec.Body.Bytes(), &out) != nil {
		t.Fatalf("POST %s = %d %s %s, want 200 with JSON", u.Path, rec.Code, rec.Header(), rec.Body)
	}
	return out
}

// token fetches a launch's token and returns it as key:secret.
func (l *launchLRS) token(t *testing.T, launch cmi5.Launch) string {
	t.Helper()
	got := l.fetch(t, launch.FetchURL)
	b, err := base64.StdEncoding.DecodeString(got["auth-token"])
	if err != nil || !strings.Contains(string(b), ":") {
		t.Fatalf("fetch = %v, want an auth-token of base64 KEY:SECRET", got)
	}
	return string(b)
}

func (l *launchLRS) count(t *testing.T, query string) int {
	t.Helper()
	rec := l.do(t, request{method: "GET", target: "/xapi/statements?" + query, cred: l.Admin})
	var page struct{ Statements []json.RawMessage }
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &page) != nil {
		t.Fatalf("GET statements = %d %s", rec.Code, rec.Body)
	}
	return len(page.Statements)
}

func TestLaunchRequestRules(t *testing.T) {
	l := newLaunchLRS(t, api.Config{})
	first := l.launch(t, launchBody(`"masteryScore":0.8`))
	l.launch(t, `{"learner":`+learnerJSON+`,"au":"`+courseID+`/lessons/a","url":"`+auURL+`?lesson=a","course":"https://example.org/two-aus"}`)
	l.launch(t, `{"learner":`+learnerJSON+`,"au":"`+courseID+`/lessons/b","url":"`+auURL+`?lesson=b","course":"https://example.org/two-aus"}`)
	other := strings.Replace(learnerJSON, "jane-7", "john-8", 1)
	tests := []struct {
		name   string
		cred   string // admin, reader, write or none
		body   string
		ctype  string
		status int
		want   string // substring
	}{
		{"no credential", "none", launchBody(""), "", 401, "credential"},
		{"a write credential", "write", launchBody(""), "", 403, `"rule":"needs all"`},
		{"an all/read credential", "reader", launchBody(""), "", 403, `"rule":"needs all"`},
		{"not JSON", "admin", `{"learner":`, "", 400, `"property":"body"`},
		{"an array", "admin", `[]`, "", 400, `"property":"body"`},
		{"text/plain", "admin", launchBody(""), "text/plain", 400, `"property":"Content-Type"`},
		{"unknown member", "admin", launchBody(`"actor":{}`), "", 400, `"property":"actor"`},
		{"wrongly cased member", "admin", launchBody(`"AU":"x"`), "", 400, `"property":"AU"`},
		{"unknown learner member", "admin", strings.Replace(launchBody(""), `"name"`, `"email":"x","name"`, 1), "", 400, `"property":"learner.email"`},
		{"learner not an object", "admin", `{"learner":"jane","au":"` + auID + `"}`, "", 400, `"property":"learner"`},
		{"no learner", "admin", `{"au":"` + auID + `"}`, "", 400, `"property":"learner.homePage"`},
		{"homePage not a URL", "admin", strings.Replace(launchBody(""), "https://lms.example.org", "lms", 1), "", 400, `"property":"learner.homePage"`},
		{"no account name", "admin", strings.Replace(launchBody(""), `"jane-7"`, `" "`, 1), "", 400, `"property":"learner.name"`},
		{"account name a number", "admin", strings.Replace(launchBody(""), `"jane-7"`, `7`, 1), "", 400, `"property":"learner.name","rule":"must be a string"`},
		{"no AU or course", "admin", `{"learner":` + learnerJSON + `}`, "", 400, `"property":"au"`},
		{"AU not an IRI", "admin", strings.Replace(launchBody(""), auID, "peer support", 1), "", 400, `"property":"au"`},
		{"url without au", "admin", `{"learner":` + learnerJSON + `,"url":"` + auURL + `","course":"` + courseID + `"}`, "", 400, `"property":"au"`},
		{"url not http", "admin", strings.Replace(launchBody(""), auURL, "ftp://example.org/x", 1), "", 400, `"property":"url"`},
		{"url with a launch parameter", "admin", strings.Replace(launchBody(""), auURL, auURL+"?endpoint=x", 1), "", 400, `"property":"url","rule":"must not have a endpoint parameter`},
		{"unknown AU without url", "admin", `{"learner":` + learnerJSON + `,"au":"https://example.org/new-au"}`, "", 400, `"property":"url","rule":"is required`},
		{"unknown course", "admin", `{"learner":` + learnerJSON + `,"course":"https://example.org/none"}`, "", 400, `"property":"course"`},
		{"course of two AUs", "admin", `{"learner":` + learnerJSON + `,"course":"https://example.org/two-aus"}`, "", 400, `"rule":"is required: the course has 2 AUs`},
		{"launch mode", "admin", launchBody(`"launchMode":"Free"`), "", 400, `"property":"launchMode"`},
		{"moveOn", "admin", launchBody(`"moveOn":"Viewed"`), "", 400, `"property":"moveOn"`},
		{"launchMethod", "admin", launchBody(`"launchMethod":"Frame"`), "", 400, `"property":"launchMethod"`},
		{"masteryScore above 1", "admin", launchBody(`"masteryScore":1.5`), "", 400, `"property":"masteryScore"`},
		{"masteryScore with 5 decimals", "admin", launchBody(`"masteryScore":0.12345`), "", 400, `"property":"masteryScore"`},
		{"masteryScore a string", "admin", launchBody(`"masteryScore":"0.8"`), "", 400, `"property":"masteryScore","rule":"must be a number"`},
		{"registration not a UUID", "admin", launchBody(`"registration":"r-1"`), "", 400, `"property":"registration"`},
		{"relative returnURL", "admin", launchBody(`"returnURL":"/back"`), "", 400, `"property":"returnURL"`},
		{"another learner's registration", "admin", strings.Replace(launchBody(`"registration":"`+first.Registration+`"`), learnerJSON, other, 1), "", 409, `"property":"registration","rule":"belongs to another learner`},
		{"another course's registration", "admin", `{"learner":` + learnerJSON + `,"au":"https://example.org/other/au","url":"https://elsewhere.example.org/",` +
			`"course":"https://example.org/other","registration":"` + first.Registration + `"}`, "", 409, `belongs to the course ` + courseID},
	}
	creds := map[string]string{"admin": l.Admin, "reader": l.reader, "write": l.write, "none": ""}
	before := l.count(t, "")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := request{method: "POST", target: "/cmi5/launch", cred: creds[tt.cred], body: tt.body, version: "-"}
			if tt.ctype != "" {
				req.headers = map[string]string{"Content-Type": tt.ctype}
			}
			rec := l.do(t, req)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.want) {
				t.Errorf("POST /cmi5/launch %s = %d %s, want %d with %s", tt.body, rec.Code, rec.Body, tt.status, tt.want)
			}
			var body map[string]string
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body["error"] == "" {
				t.Errorf("error body %s is not {error, property, rule}", rec.Body)
			}
		})
	}
	// A refused launch changes nothing: no statement, the AU as it was.
	if n := l.count(t, ""); n != before {
		t.Errorf("refused launches stored %d statements", n-before)
	}
	if rec := l.do(t, request{method: "POST", target: "/cmi5/launch", cred: l.Admin, version: "-",
		body: `{"learner":` + learnerJSON + `,"au":"https://example.org/other/au"}`}); rec.Code != 400 {
		t.Errorf("the AU of a refused launch was kept: launching it without url = %d %s", rec.Code, rec.Body)
	}
	again := l.launch(t, `{"learner":`+learnerJSON+`,"au":"`+auID+`"}`)
	if u, _ := url.Parse(again.URL); u.Scheme+"://"+u.Host+u.Path != auURL || again.ActivityID != first.ActivityID {
		t.Errorf("the AU after refused launches: url %s, activity %s; want %s and %s", again.URL, again.ActivityID, auURL, first.ActivityID)
	}
}
