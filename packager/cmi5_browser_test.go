package packager_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/coursekit/coursekit/packager"
	"github.com/coursekit/coursekit/packager/cmi5"
)

// fakeCMI5LMS is the LMS side of cmi5 for the browser tests, in front of
// the real LRS: one-time fetch URLs that hand out a token (a statements/
// write credential of the LRS, so the LRS itself checks every statement),
// LMS.LaunchData and the player's own document in the State resource, and
// the learner preferences in the Agent Profile resource. The Statements
// resource is the LRS's. coursekit serve's own /cmi5/launch comes later.
type fakeCMI5LMS struct {
	lrs    *testLRS
	origin string // of the LMS page, for CORS
	token  string // base64 of a write-only credential

	mu      sync.Mutex
	fetches map[string]int // fetch key → POSTs
	launch  map[string]any // activityId|registration → LMS.LaunchData
	state   map[string][]byte
	prefs   map[string]any
}

func newFakeCMI5LMS(t *testing.T, l *testLRS, origin string) *fakeCMI5LMS {
	f := &fakeCMI5LMS{lrs: l, origin: origin, token: base64.StdEncoding.EncodeToString([]byte(l.credential(t, "statements/write"))),
		fetches: map[string]int{}, launch: map[string]any{}, state: map[string][]byte{}}
	l.extra = f.serve
	return f
}

// session registers a launch: a fresh fetch URL and the launch data, and
// returns the AU's launch query.
func (f *fakeCMI5LMS) session(activityID, registration string, actor any, launchData map[string]any) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	key := uuid.NewString()
	f.fetches[key] = 0
	f.launch[activityID+"|"+registration] = launchData
	return launchQuery(map[string]string{
		"endpoint": f.lrs.endpoint, "fetch": strings.TrimSuffix(f.lrs.endpoint, "xapi/") + "cmi5/fetch?k=" + key,
		"actor": mustJSON(actor), "registration": registration, "activityId": activityID,
	})
}

func (f *fakeCMI5LMS) fetchCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.fetches {
		n += c
	}
	return n
}

func (f *fakeCMI5LMS) serve(w http.ResponseWriter, r *http.Request) bool {
	p := r.URL.Path
	if p != "/cmi5/fetch" && p != "/xapi/activities/state" && p != "/xapi/agents/profile" {
		return false // the LRS's
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", f.origin)
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Experience-API-Version")
	h.Set("Access-Control-Allow-Methods", "GET, PUT, POST")
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return true
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	q := r.URL.Query()
	if p == "/cmi5/fetch" {
		h.Set("Content-Type", "application/json")
		n, ok := f.fetches[q.Get("k")]
		switch {
		case r.Method != http.MethodPost:
			w.WriteHeader(http.StatusMethodNotAllowed)
		case !ok:
			io.WriteString(w, `{"error-code":"2","error-text":"Unknown launch."}`)
		case n > 0:
			f.fetches[q.Get("k")]++
			io.WriteString(w, `{"error-code":"1","error-text":"The authorization token has already been returned."}`)
		default:
			f.fetches[q.Get("k")]++
			io.WriteString(w, `{"auth-token":"`+f.token+`"}`)
		}
		return true
	}
	if r.Header.Get("Authorization") != "Basic "+f.token {
		w.WriteHeader(http.StatusUnauthorized)
		return true
	}
	if p == "/xapi/agents/profile" {
		if f.prefs == nil || q.Get("profileId") != "cmi5LearnerPreferences" {
			w.WriteHeader(http.StatusNotFound)
			return true
		}
		h.Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(f.prefs)
		return true
	}
	key := q.Get("activityId") + "|" + q.Get("registration")
	if q.Get("stateId") == "LMS.LaunchData" {
		if r.Method != http.MethodGet || f.launch[key] == nil {
			w.WriteHeader(http.StatusNotFound) // the AU must not write it
			return true
		}
		h.Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(f.launch[key])
		return true
	}
	key += "|" + q.Get("stateId")
	switch r.Method {
	case http.MethodPut:
		body, _ := io.ReadAll(r.Body)
		f.state[key] = body
		w.WriteHeader(http.StatusNoContent)
	case http.MethodGet:
		if f.state[key] == nil {
			w.WriteHeader(http.StatusNotFound)
			return true
		}
		h.Set("Content-Type", "application/json")
		w.Write(f.state[key])
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
	return true
}

const (
	sessionIDExt   = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
	masteryExt     = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
	cmi5Category   = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
	moveonCategory = "https://w3id.org/xapi/cmi5/context/categories/moveon"
)

func launchData(publisherID, sessionID, mode, returnURL string, mastery any) map[string]any {
	d := map[string]any{
		"contextTemplate": map[string]any{
			"contextActivities": map[string]any{"grouping": []any{map[string]any{"id": publisherID}}},
			"extensions":        map[string]any{sessionIDExt: sessionID},
		},
		"launchMode": mode, "moveOn": "CompletedAndPassed", "returnURL": returnURL,
	}
	if mastery != nil {
		d["masteryScore"] = mastery
	}
	return d
}

// TestCMI5InBrowser launches the cmi5 packages of Peer Support Training
// from a fake cmi5 LMS in front of coursekit's LRS: a whole course AU in
// Normal mode, walked through to the end, a relaunch of the spent session,
// and one lesson's AU in Browse mode; then it checks the statements by
// cmi5's rules.
func TestCMI5InBrowser(t *testing.T) {
	c := mustLoad(t, peerSupport)
	l := newTestLRS(t)
	pkgs := map[string]string{}
	for _, perLesson := range []bool{false, true} {
		results, err := packager.Build(context.Background(), c, packager.Options{Formats: []packager.Format{packager.CMI5}, OutDir: t.TempDir(), AUPerLesson: perLesson})
		if err != nil {
			t.Fatal(err)
		}
		pkgs[map[bool]string{false: "course", true: "lesson"}[perLesson]] = extract(t, results[0].Path)
	}
	srv := serveLMS(t, pkgs)
	srv.Config.Handler.(*http.ServeMux).HandleFunc("/returned.html", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<!DOCTYPE html><title>Back in the LMS</title><p>Back in the LMS.")
	})
	l.start(t, srv.URL)
	lms := newFakeCMI5LMS(t, l, srv.URL)
	lms.prefs = map[string]any{"languagePreference": "en-GB,fr-FR", "audioPreference": "off"}
	ctx := newBrowser(t)

	actor := map[string]any{"objectType": "Agent", "name": "Jane Doe", "account": map[string]any{"homePage": srv.URL, "name": "learner-1"}}
	reg := uuid.NewString()
	auActivity := "https://lms.example.org/activities/" + uuid.NewString()
	publisher := cmi5.AUID(c, "")
	q := lms.session(auActivity, reg, actor, launchData(publisher, "session-1", "Normal", srv.URL+"/returned.html", 0.9))
	page := url.QueryEscape("/pkg/course/index.html?" + q)

	t.Run("course AU, Normal", func(t *testing.T) {
		launch(t, ctx, srv, "cmi5", "cmi5", page)
		st := evalJS[map[string]any](t, ctx, `drive.state()`)
		if st["connected"] != true || st["launchMode"] != "Normal" || st["muted"] != true {
			t.Errorf("state = connected %v, launchMode %v, muted %v; want true, Normal, true (audioPreference off)", st["connected"], st["launchMode"], st["muted"])
		}
		// The LMS's mastery score, 0.9, replaces the course's 0.8.
		w := newWalker(c, auActivity, 90)
		want := append([]step{{"initialized", auActivity}}, w.view(c.Lessons[0])...)
		want = append(want, w.walk(c.Lessons[0].ID)...)
		want = append(want, step{"terminated", auActivity})
		walkAllLessons(t, ctx, c.Lessons)
		evalJS[bool](t, ctx, `drive.click('#ck-exit')`)
		waitFor(t, ctx, `document.getElementById('sco').contentWindow.location.pathname === '/returned.html'`)

		got := l.waitForStatements(t, reg, len(want))
		diffSteps(t, want, steps(got))
		if t.Failed() {
			return
		}
		if n := lms.fetchCount(); n != 1 {
			t.Errorf("the fetch URL was POSTed %d times, want once", n)
		}
		checkCMI5Statements(t, got, reg, "session-1", publisher, auActivity)
		for _, s := range got {
			if s.verb() == "passed" {
				if s.Context.Extensions[masteryExt] != 0.9 || s.Result.Score == nil || s.Result.Score.Scaled != 0.9333 || s.Result.Score.Raw != nil {
					t.Errorf("passed: masteryscore %v, score %+v; want 0.9 and scaled 0.9333 alone (14 of 15, not an integer raw)", s.Context.Extensions[masteryExt], s.Result.Score)
				}
			}
			if s.verb() == "completed" && (s.Result.Score != nil || s.Result.Success != nil) {
				t.Errorf("completed carries a score or success: %+v", s.Result)
			}
		}
	})

	t.Run("spent session", func(t *testing.T) {
		before := len(l.statements(t, reg))
		launch(t, ctx, srv, "cmi5", "cmi5", page)
		if got := evalJS[string](t, ctx, `drive.status()`); !strings.Contains(got, "This session has ended") {
			t.Errorf("relaunching a terminated session shows %q, want that it has ended", got)
		}
		if n := lms.fetchCount(); n != 1 {
			t.Errorf("the fetch URL was POSTed %d times, want still once", n)
		}
		if n := len(l.statements(t, reg)); n != before {
			t.Errorf("a spent session sent %d statements", n-before)
		}
	})

	t.Run("course AU, next session", func(t *testing.T) {
		// A new session of the same registration resumes where the learner
		// left, and sends no second passed or completed.
		q := lms.session(auActivity, reg, actor, launchData(publisher, "session-3", "Normal", "", 0.9))
		before := len(l.statements(t, reg))
		launch(t, ctx, srv, "cmi5", "cmi5", url.QueryEscape("/pkg/course/index.html?"+q))
		last := c.Lessons[len(c.Lessons)-1].ID
		if got := evalJS[string](t, ctx, `drive.lesson()`); got != last {
			t.Errorf("the next session opened %q, want the bookmark %q", got, last)
		}
		if r := evalJS[map[string]bool](t, ctx, `drive.state().results`); len(r) != len(c.Questions()) {
			t.Errorf("the next session has %d answers, want all %d kept in the State resource", len(r), len(c.Questions()))
		}
		evalJS[bool](t, ctx, `drive.click('#ck-exit')`)
		waitFor(t, ctx, `drive.exists('#ck-finished') && drive.state().pending === 0`)
		got := l.statements(t, reg)[before:]
		want := []step{{"initialized", auActivity}, {"experienced", c.ID + "/lessons/" + last}, {"terminated", auActivity}}
		diffSteps(t, want, steps(got))
		checkCMI5Statements(t, got, reg, "session-3", publisher, auActivity)
	})

	t.Run("lesson AU, Browse", func(t *testing.T) {
		lessonActivity := "https://lms.example.org/activities/" + uuid.NewString()
		lessonReg := uuid.NewString()
		publisher := cmi5.AUID(c, "positive-risk-taking")
		q := lms.session(lessonActivity, lessonReg, actor, launchData(publisher, "session-2", "Browse", "", nil))
		launch(t, ctx, srv, "cmi5", "cmi5-lesson", url.QueryEscape("/pkg/lesson/index.html?lesson=positive-risk-taking&"+q))
		if got := evalJS[string](t, ctx, `drive.status()`); !strings.Contains(got, "Browse: results are not recorded") {
			t.Errorf("status %q does not say it is browsing", got)
		}
		assertNoAxeViolations(t, ctx, "a cmi5 lesson AU in Browse mode")
		want := []step{{"initialized", lessonActivity}, {"experienced", c.ID + "/lessons/positive-risk-taking"}}
		for _, id := range evalJS[[]string](t, ctx, `drive.questions()`) {
			evalJS[string](t, ctx, `drive.answer(`+mustJSON(id)+`, true)`)
			want = append(want, step{"answered", c.ID + "/interactions/" + id})
		}
		evalJS[bool](t, ctx, `drive.click('#ck-exit')`)
		waitFor(t, ctx, `drive.exists('#ck-finished') && drive.state().pending === 0`)
		want = append(want, step{"terminated", lessonActivity})
		got := l.statements(t, lessonReg)
		diffSteps(t, want, steps(got))
		checkCMI5Statements(t, got, lessonReg, "session-2", publisher, lessonActivity)
	})
}

// checkCMI5Statements checks what cmi5 requires of every statement: the
// launch's registration and actor, the context template (session id and
// publisher id), the cmi5 category on cmi5 defined statements only, moveon
// with success or completion, no score but on passed and failed, and a
// duration on completed, passed, failed and terminated.
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
	}
	if len(sts) == 0 || sts[0].verb() != "initialized" || sts[len(sts)-1].verb() != "terminated" {
		t.Errorf("the session does not run from initialized to terminated: %v", steps(sts))
	}
}
