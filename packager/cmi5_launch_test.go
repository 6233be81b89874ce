package packager_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// What the cmi5 browser test asks of the LRS's launcher: launches, the
// fetches they led to, and documents set as an LMS would.

const (
	sessionIDExt   = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
	masteryExt     = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
	launchModeExt  = "https://w3id.org/xapi/cmi5/context/extensions/launchmode"
	launchURLExt   = "https://w3id.org/xapi/cmi5/context/extensions/launchurl"
	moveOnExt      = "https://w3id.org/xapi/cmi5/context/extensions/moveon"
	cmi5Category   = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
	moveonCategory = "https://w3id.org/xapi/cmi5/context/categories/moveon"
)

// launched is POST /cmi5/launch's answer.
type launched struct {
	URL          string          `json:"url"`
	FetchURL     string          `json:"fetchURL"`
	Actor        json.RawMessage `json:"actor"`
	Registration string          `json:"registration"`
	SessionID    string          `json:"sessionId"`
	ActivityID   string          `json:"activityId"`
}

// base is the LRS's URL, without the xAPI path.
func (l *testLRS) base() string { return strings.TrimSuffix(l.endpoint, "xapi/") }

// admin sends a request with the admin credential, past the outage switch.
func (l *testLRS) adminDo(t *testing.T, method, target, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, l.base()+target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	k, s, _ := strings.Cut(l.admin, ":")
	req.SetBasicAuth(k, s)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Experience-API-Version", "1.0.3")
	req.Header.Set(testerHeader, "1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// launchAU launches through the LRS's own POST /cmi5/launch.
func (l *testLRS) launchAU(t *testing.T, req map[string]any) launched {
	t.Helper()
	code, body := l.adminDo(t, http.MethodPost, "cmi5/launch", mustJSON(req))
	var out launched
	if code != http.StatusCreated || json.Unmarshal(body, &out) != nil {
		t.Fatalf("POST /cmi5/launch %s = %d %s", mustJSON(req), code, body)
	}
	return out
}

// fetches counts the POSTs to fetch URLs the LRS has answered, from its
// metrics (every answer is a 200, errors too).
func (l *testLRS) fetches(t *testing.T) int {
	t.Helper()
	code, body := l.adminDo(t, http.MethodGet, "metrics", "")
	if code != http.StatusOK {
		t.Fatalf("GET /metrics = %d", code)
	}
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "coursekit_http_requests_total{") && strings.Contains(line, `route="/cmi5/fetch/:code"`) && strings.Contains(line, `method="POST"`) {
			v, _ := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
			n += int(v)
		}
	}
	return n
}

// putPreferences stores the learner's cmi5LearnerPreferences, as an LMS.
func (l *testLRS) putPreferences(t *testing.T, actor json.RawMessage, prefs string) {
	t.Helper()
	q := url.Values{"agent": {string(actor)}, "profileId": {"cmi5LearnerPreferences"}}
	if code, body := l.adminDo(t, http.MethodPut, "xapi/agents/profile?"+q.Encode(), prefs); code != http.StatusNoContent {
		t.Fatalf("PUT cmi5LearnerPreferences = %d %s", code, body)
	}
}

// checkCMI5Statements checks what cmi5 requires of every statement of an
// AU's session: the launch's registration and actor, the context template
// (session id and publisher id), the cmi5 category on cmi5 defined
// statements only, moveon with success or completion, no score but on
// passed and failed, and a duration on completed, passed, failed and
// terminated.
func checkCMI5Statements(t *testing.T, sts []statement, reg, session, publisher, au string) {
	t.Helper()
	for i, s := range sts {
		v := s.verb()
		if s.Context.Registration != reg || s.Context.Extensions[sessionIDExt] != session || !slices.Contains(s.activities("grouping"), publisher) {
			t.Errorf("%d %s: registration %q session %v grouping %v; want %s, %s and the publisher id %s",
				i, v, s.Context.Registration, s.Context.Extensions[sessionIDExt], s.activities("grouping"), reg, session, publisher)
		}
		if s.Actor.Account == nil || s.Actor.Account.Name != "learner-1" {
			t.Errorf("%d %s: actor %+v, want the launch actor", i, v, s.Actor)
		}
		defined := slices.Contains([]string{"initialized", "completed", "passed", "failed", "terminated"}, v)
		judged := s.Result != nil && (s.Result.Success != nil || s.Result.Completion != nil)
		var wantCats []string
		if defined {
			wantCats = append(wantCats, cmi5Category)
			if judged {
				wantCats = append(wantCats, moveonCategory)
			}
			if s.Object.ID != au {
				t.Errorf("%d %s: object %s, want the AU's activityId %s", i, v, s.Object.ID, au)
			}
		} else if !slices.Equal(s.activities("parent"), []string{au}) {
			t.Errorf("%d %s: parent %v, want the AU", i, v, s.activities("parent"))
		}
		if got := s.activities("category"); !slices.Equal(got, wantCats) {
			t.Errorf("%d %s: categories %v, want %v", i, v, got, wantCats)
		}
		if s.Result != nil && s.Result.Score != nil && v != "passed" && v != "failed" {
			t.Errorf("%d %s has a score", i, v)
		}
		if slices.Contains([]string{"completed", "passed", "failed", "terminated"}, v) && (s.Result == nil || !isoDuration.MatchString(s.Result.Duration)) {
			t.Errorf("%d %s: result %+v, want a duration", i, v, s.Result)
		}
		if !strings.Contains(string(s.Authority), `"cmi5 session `+session+`"`) {
			t.Errorf("%d %s: authority %s, want the session's token", i, v, s.Authority)
		}
	}
	if len(sts) == 0 || sts[0].verb() != "initialized" || sts[len(sts)-1].verb() != "terminated" {
		t.Errorf("the session does not run from initialized to terminated: %v", steps(sts))
	}
}

// checkLaunched checks the launcher's launched statement (cmi5 §9.3.1,
// §9.6.3).
func checkLaunched(t *testing.T, s statement, l launched, publisher, mode, launchURL, moveOn string, mastery any) {
	t.Helper()
	ext := s.Context.Extensions
	if s.verb() != "launched" || s.Object.ID != l.ActivityID || s.Context.Registration != l.Registration ||
		ext[sessionIDExt] != l.SessionID || ext[launchModeExt] != mode || ext[launchURLExt] != launchURL || ext[moveOnExt] != moveOn ||
		ext[masteryExt] != mastery || !slices.Equal(s.activities("category"), []string{cmi5Category}) ||
		!slices.Equal(s.activities("grouping"), []string{publisher}) || !strings.Contains(string(s.Authority), "cmi5-launcher") {
		t.Errorf("launched statement %s %s: registration %s, extensions %v, categories %v, grouping %v, authority %s; want session %s, %s, %s, %s, %v",
			s.verb(), s.Object.ID, s.Context.Registration, ext, s.activities("category"), s.activities("grouping"), s.Authority,
			l.SessionID, mode, launchURL, moveOn, mastery)
	}
}

// sessions splits a registration's statements at each launched statement.
func sessions(sts []statement) [][]statement {
	var out [][]statement
	for _, s := range sts {
		if s.verb() == "launched" || len(out) == 0 {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], s)
	}
	return out
}
