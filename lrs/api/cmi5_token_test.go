package api_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs/api"
	"github.com/coursekit/coursekit/lrs/cmi5"
)

// TestLaunch checks what a launch records and hands out: the launch URL's
// parameters, LMS.LaunchData, the launched statement, and the AU and
// registration kept for the next launch.
func TestLaunch(t *testing.T) {
	l := newLaunchLRS(t, api.Config{})
	got := l.launch(t, launchBody(`"masteryScore":0.9,"moveOn":"CompletedAndPassed","launchMode":"Browse","returnURL":"https://lms.example.org/back","launchParameters":"level=2"`))
	u, err := url.Parse(got.URL)
	if err != nil || u.Scheme+"://"+u.Host+u.Path != auURL {
		t.Fatalf("launch URL %s, want the AU's URL with parameters", got.URL)
	}
	if !strings.Contains(u.RawQuery, "Jane%20Doe") || strings.Contains(u.RawQuery, "+") {
		t.Errorf("launch URL query %s: want spaces as %%20, which decodeURIComponent reads too", u.RawQuery)
	}
	q := u.Query()
	if q.Get("endpoint") != "http://example.com/xapi/" || q.Get("fetch") != got.FetchURL || !strings.HasPrefix(got.FetchURL, "http://example.com/cmi5/fetch/") ||
		q.Get("registration") != got.Registration || q.Get("activityId") != got.ActivityID || got.ActivityID == auID || !strings.HasPrefix(got.ActivityID, "urn:uuid:") {
		t.Errorf("launch URL parameters %v; want the endpoint, the fetch URL, the registration and a made-up activity id", q)
	}
	var actor struct {
		ObjectType, Name string
		Account          struct{ HomePage, Name string }
	}
	if err := json.Unmarshal([]byte(q.Get("actor")), &actor); err != nil || actor.ObjectType != "Agent" || actor.Name != "Jane Doe" ||
		actor.Account.HomePage != "https://lms.example.org" || actor.Account.Name != "jane-7" {
		t.Errorf("actor %s, want the learner's account", q.Get("actor"))
	}

	// LMS.LaunchData, as the AU reads it.
	ld := l.do(t, request{method: "GET", cred: l.Admin, target: target("/xapi/activities/state", "activityId", got.ActivityID,
		"agent", q.Get("actor"), "registration", got.Registration, "stateId", "LMS.LaunchData")})
	var data map[string]any
	if ld.Code != 200 || json.Unmarshal(ld.Body.Bytes(), &data) != nil {
		t.Fatalf("GET LMS.LaunchData = %d %s", ld.Code, ld.Body)
	}
	want := `{"contextTemplate":{"registration":"` + got.Registration + `","contextActivities":{"grouping":[{"id":"` + auID + `"}]},` +
		`"extensions":{"` + cmi5.ExtSessionID + `":"` + got.SessionID + `"}},"launchMode":"Browse","launchMethod":"AnyWindow",` +
		`"moveOn":"CompletedAndPassed","masteryScore":0.9,"returnURL":"https://lms.example.org/back","launchParameters":"level=2"}`
	if ld.Body.String() != want {
		t.Errorf("LMS.LaunchData = %s\nwant %s", ld.Body, want)
	}

	// The launched statement.
	sts := l.do(t, request{method: "GET", cred: l.Admin, target: "/xapi/statements?registration=" + got.Registration})
	var page struct{ Statements []map[string]any }
	if sts.Code != 200 || json.Unmarshal(sts.Body.Bytes(), &page) != nil || len(page.Statements) != 1 {
		t.Fatalf("GET statements = %d %s, want the launched statement", sts.Code, sts.Body)
	}
	st := page.Statements[0]
	ctx := st["context"].(map[string]any)
	ext := ctx["extensions"].(map[string]any)
	cats := ctx["contextActivities"].(map[string]any)
	wantExt := map[string]any{cmi5.ExtSessionID: got.SessionID, cmi5.ExtLaunchMode: "Browse", cmi5.ExtLaunchURL: auURL,
		cmi5.ExtMoveOn: "CompletedAndPassed", cmi5.ExtMasteryScore: 0.9, cmi5.ExtLaunchParameters: "level=2"}
	if st["verb"].(map[string]any)["id"] != cmi5.VerbLaunched || st["object"].(map[string]any)["id"] != got.ActivityID ||
		ctx["registration"] != got.Registration || mustMarshal(t, ext) != mustMarshal(t, wantExt) ||
		mustMarshal(t, cats) != `{"category":[{"id":"`+cmi5.CategoryCMI5+`"}],"grouping":[{"id":"`+auID+`"}]}` ||
		!strings.Contains(mustMarshal(t, st["authority"]), "cmi5-launcher") {
		t.Errorf("launched statement = %s", mustMarshal(t, st))
	}

	// The AU is kept: a launch naming it, or its course, reuses its activity
	// id and values; a registration given back continues.
	next := l.launch(t, `{"learner":`+learnerJSON+`,"course":"`+courseID+`","registration":"`+strings.ToUpper(got.Registration)+`"}`)
	if next.ActivityID != got.ActivityID || next.Registration != got.Registration || next.SessionID == got.SessionID || next.LaunchMode != "Normal" {
		t.Errorf("second launch = %+v; want the same activity and registration, a new session, Normal", next)
	}
	lesson := l.launch(t, `{"learner":`+learnerJSON+`,"au":"`+courseID+`/lessons/a","url":"`+auURL+`?lesson=a#top","course":"`+courseID+`"}`)
	if !strings.HasPrefix(lesson.URL, auURL+"?lesson=a&") || !strings.HasSuffix(lesson.URL, "#top") || lesson.Registration == got.Registration {
		t.Errorf("lesson launch URL %s (registration %s); want its own query first, the fragment last, a new registration", lesson.URL, lesson.Registration)
	}

	// --public-url replaces the request's host.
	pub := newLaunchLRS(t, api.Config{PublicURL: "https://lrs.example.org/base/"})
	if got := pub.launch(t, launchBody("")); got.Endpoint != "https://lrs.example.org/base/xapi/" || !strings.HasPrefix(got.FetchURL, "https://lrs.example.org/base/cmi5/fetch/") {
		t.Errorf("with a public URL: endpoint %s, fetch %s", got.Endpoint, got.FetchURL)
	}
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFetch: once, then error-code 1; unknown codes 2; expired 1; no GET;
// CORS for the AU's origin only.
func TestFetch(t *testing.T) {
	l := newLaunchLRS(t, api.Config{AllowedOrigins: []string{lmsOrigin}})
	a := l.launch(t, launchBody(""))
	path := func(u string) string { p, _ := url.Parse(u); return p.Path }

	if rec := l.do(t, request{method: "GET", target: path(a.FetchURL), version: "-"}); rec.Code != 405 {
		t.Errorf("GET fetch URL = %d, want 405 (cmi5 §8.2.1: POST only)", rec.Code)
	}
	first := l.do(t, request{method: "POST", target: path(a.FetchURL), version: "-", headers: h("Origin", lmsOrigin)})
	if first.Code != 200 || !strings.Contains(first.Body.String(), `"auth-token"`) ||
		first.Header().Get("Access-Control-Allow-Origin") != lmsOrigin || first.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("first fetch = %d %v %s, want the token, for the AU's origin, not cached", first.Code, first.Header(), first.Body)
	}
	tests := []struct {
		name, path, code string
	}{
		{"the same URL again", path(a.FetchURL), "1"},
		{"an unknown code", "/cmi5/fetch/" + strings.Repeat("A", 43), "2"},
		{"a malformed code", "/cmi5/fetch/abc", "2"},
	}
	for _, tt := range tests {
		got := l.fetch(t, "http://example.com"+tt.path)
		if got["error-code"] != tt.code || got["error-text"] == "" || got["auth-token"] != "" {
			t.Errorf("%s: fetch = %v, want error-code %s with a text", tt.name, got, tt.code)
		}
	}
	other := l.do(t, request{method: "POST", target: path(l.launch(t, launchBody("")).FetchURL), version: "-", headers: h("Origin", "https://evil.example")})
	if other.Code != 200 || other.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("fetch from an unlisted origin: %d %v, want no Access-Control-Allow-Origin", other.Code, other.Header())
	}

	late := l.launch(t, launchBody(""))
	l.clock.add(cmi5.DefaultFetchTTL)
	if got := l.fetch(t, late.FetchURL); got["error-code"] != "1" || !strings.Contains(got["error-text"], "expired") {
		t.Errorf("fetch after %v = %v, want error-code 1, expired (cmi5 §8.2.3.2)", cmi5.DefaultFetchTTL, got)
	}

	// Without --cors-origins no origin may call the LRS from a browser.
	closed := newLaunchLRS(t, api.Config{})
	for _, p := range []string{path(closed.launch(t, launchBody("")).FetchURL), "/xapi/statements"} {
		rec := closed.do(t, request{method: "POST", target: p, version: "-", headers: h("Origin", lmsOrigin)})
		if rec.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("POST %s without allowed origins: Access-Control-Allow-Origin %q, want none", p, rec.Header().Get("Access-Control-Allow-Origin"))
		}
	}
}

// sessionStatement is a statement of the launch's session, changed by edit.
func sessionStatement(a cmi5.Launch, verb string, edit func(string) string) string {
	s := `{"actor":` + string(a.Actor) + `,"verb":{"id":"` + verb + `"},"object":{"id":"` + a.ActivityID + `"},` +
		`"context":{"registration":"` + a.Registration + `","extensions":{"` + cmi5.ExtSessionID + `":"` + a.SessionID + `"}}}`
	if edit != nil {
		s = edit(s)
	}
	return s
}

const verbs = "http://adlnet.gov/expapi/verbs/"

// TestSessionToken checks every rule of a token: what it may write and
// read, and when it stops working.
func TestSessionToken(t *testing.T) {
	l := newLaunchLRS(t, api.Config{})
	a := l.launch(t, launchBody(""))
	tok := l.token(t, a)
	agent := string(a.Actor)
	st := func(id string, kv ...string) string {
		return target("/xapi/activities/state", append([]string{"activityId", a.ActivityID, "agent", agent, "registration", a.Registration, "stateId", id}, kv...)...)
	}
	prefs := target("/xapi/agents/profile", "agent", agent, "profileId", "cmi5LearnerPreferences")
	jane := func(s string) string { return s }
	steps := []step{
		{"initialized", request{method: "POST", target: "/xapi/statements", cred: tok, body: "[" + sessionStatement(a, verbs+"initialized", jane) + "]"}, 200, "", false, nil},
		{"PUT one", request{method: "PUT", target: "/xapi/statements?statementId=" + id1, cred: tok, body: sessionStatement(a, verbs+"experienced", jane)}, 204, "", false, nil},
		{"another learner", request{method: "POST", target: "/xapi/statements", cred: tok, body: sessionStatement(a, verbs+"experienced",
			func(s string) string { return strings.Replace(s, "jane-7", "john-8", 1) })}, 403, `"property":"actor"`, false, nil},
		{"another registration, in a batch", request{method: "POST", target: "/xapi/statements", cred: tok, body: "[" + sessionStatement(a, verbs+"experienced", jane) + "," +
			sessionStatement(a, verbs+"experienced", func(s string) string {
				return strings.Replace(s, `"registration":"`+a.Registration, `"registration":"`+id1, 1)
			}) + "]"},
			403, `"property":"[1].context.registration"`, false, nil},
		{"no session id", request{method: "POST", target: "/xapi/statements", cred: tok, body: sessionStatement(a, verbs+"experienced",
			func(s string) string { return strings.Replace(s, cmi5.ExtSessionID, "https://example.org/x", 1) })}, 403, `"property":"context.extensions.` + cmi5.ExtSessionID, false, nil},
		{"voiding", request{method: "POST", target: "/xapi/statements", cred: tok, body: sessionStatement(a, verbs+"voided",
			func(s string) string {
				return strings.Replace(s, `"object":{"id":"`+a.ActivityID+`"}`, `"object":{"objectType":"StatementRef","id":"`+id1+`"}`, 1)
			})},
			403, `"rule":"must not be voided`, false, nil},
		{"launched", request{method: "POST", target: "/xapi/statements", cred: tok, body: sessionStatement(a, cmi5.VerbLaunched, jane)}, 403, `only the launcher sends it`, false, nil},
		{"read statements", request{method: "GET", target: "/xapi/statements", cred: tok}, 403, `"property":"scope"`, false, nil},
		{"read LMS.LaunchData", request{method: "GET", target: st("LMS.LaunchData"), cred: tok}, 200, `"contextTemplate"`, false, nil},
		{"PUT LMS.LaunchData", request{method: "PUT", target: st("LMS.LaunchData"), cred: tok, body: `{}`}, 403, `"property":"stateId"`, false, nil},
		{"POST LMS.LaunchData", request{method: "POST", target: st("LMS.LaunchData"), cred: tok, body: `{}`}, 403, `"property":"stateId"`, false, nil},
		{"DELETE LMS.LaunchData", request{method: "DELETE", target: st("LMS.LaunchData"), cred: tok}, 403, `"property":"stateId"`, false, nil},
		{"DELETE all state", request{method: "DELETE", target: st("")[:strings.Index(st(""), "&stateId")], cred: tok}, 403, `"property":"stateId"`, false, nil},
		{"PUT own state", request{method: "PUT", target: st("coursekit.progress"), cred: tok, body: `{"location":"a"}`}, 204, "", false, nil},
		{"GET own state", request{method: "GET", target: st("coursekit.progress"), cred: tok}, 200, `{"location":"a"}`, true, nil},
		{"list own state", request{method: "GET", target: st("")[:strings.Index(st(""), "&stateId")], cred: tok}, 200, `["LMS.LaunchData","coursekit.progress"]`, true, nil},
		{"DELETE own state", request{method: "DELETE", target: st("coursekit.progress"), cred: tok}, 204, "", false, nil},
		{"state of another activity", request{method: "GET", target: strings.Replace(st("x"), url.QueryEscape(a.ActivityID), "https%3A%2F%2Fexample.org%2Fa", 1), cred: tok}, 403, `"property":"activityId"`, false, nil},
		{"state without registration", request{method: "GET", target: strings.Replace(st("x"), "registration="+a.Registration, "", 1), cred: tok}, 403, `"property":"registration"`, false, nil},
		{"state of another agent", request{method: "PUT", target: strings.Replace(st("x"), "jane-7", "john-8", 1), cred: tok, body: `{}`}, 403, `"property":"agent"`, false, nil},
		{"preferences, none yet", request{method: "GET", target: prefs, cred: tok}, 404, "", false, nil},
		{"preferences set by the LMS", request{method: "PUT", target: prefs, cred: l.Admin, body: `{"audioPreference":"off"}`}, 204, "", false, nil},
		{"preferences", request{method: "GET", target: prefs, cred: tok}, 200, `{"audioPreference":"off"}`, true, nil},
		{"write the preferences", request{method: "PUT", target: prefs, cred: tok, body: `{}`, headers: h("If-Match", "*")}, 403, `"property":"scope"`, false, nil},
		{"another agent profile", request{method: "GET", target: strings.Replace(prefs, "cmi5LearnerPreferences", "x", 1), cred: tok}, 403, `"property":"profileId"`, false, nil},
		{"another learner's preferences", request{method: "GET", target: strings.Replace(prefs, "jane-7", "john-8", 1), cred: tok}, 403, `"property":"agent"`, false, nil},
		{"activity profile", request{method: "GET", target: target("/xapi/activities/profile", "activityId", a.ActivityID, "profileId", "x"), cred: tok}, 403, `"property":"resource"`, false, nil},
		{"activities", request{method: "GET", target: target("/xapi/activities", "activityId", a.ActivityID), cred: tok}, 403, `"property":"scope"`, false, nil},
		{"agents", request{method: "GET", target: target("/xapi/agents", "agent", agent), cred: tok}, 403, `"property":"scope"`, false, nil},
	}
	runSteps(t, l.testLRS, steps)
	if rec := l.do(t, request{method: "POST", target: "/cmi5/launch", cred: tok, body: launchBody(""), version: "-"}); rec.Code != 403 {
		t.Errorf("a token launching = %d %s, want 403", rec.Code, rec.Body)
	}
	if n := l.count(t, "registration="+a.Registration); n != 3 {
		t.Errorf("the registration has %d statements, want 3: launched and the two the token could store", n)
	}

	// terminated ends the token a grace period later, on every node.
	term := request{method: "POST", target: "/xapi/statements", cred: tok, body: sessionStatement(a, cmi5.VerbTerminated, jane)}
	if rec := l.do(t, term); rec.Code != 200 {
		t.Fatalf("terminated = %d %s", rec.Code, rec.Body)
	}
	late := request{method: "POST", target: "/xapi/statements", cred: tok, body: sessionStatement(a, verbs+"answered", jane)}
	l.clock.add(cmi5.DefaultGrace - time.Second)
	if rec := l.do(t, late); rec.Code != 200 {
		t.Errorf("a statement within the grace period = %d %s, want 200", rec.Code, rec.Body)
	}
	l.clock.add(time.Second)
	if rec := l.do(t, late); rec.Code != 401 {
		t.Errorf("a statement after the grace period = %d %s, want 401", rec.Code, rec.Body)
	}

	// A session that never terminates ends after the session lifetime.
	b := l.launch(t, launchBody(""))
	tokB := l.token(t, b)
	l.clock.add(cmi5.DefaultSessionTTL - time.Second)
	if rec := l.do(t, request{method: "GET", target: st("LMS.LaunchData"), cred: tokB}); rec.Code != 403 {
		t.Errorf("token B reading session A's state = %d, want 403", rec.Code)
	}
	l.clock.add(time.Second)
	if rec := l.do(t, request{method: "POST", target: "/xapi/statements", cred: tokB, body: sessionStatement(b, verbs+"experienced", jane)}); rec.Code != 401 {
		t.Errorf("token B after the session lifetime = %d %s, want 401", rec.Code, rec.Body)
	}
}
