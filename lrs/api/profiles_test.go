package api_test

import (
	"encoding/base64"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/coursekit/coursekit/lrs/api"
)

func TestProfileResources(t *testing.T) {
	l := newTestLRS(t, api.Config{})
	p := l.credential(t, "profile")
	const (
		v1     = `{"theme":"dark"}`
		v2     = `{"theme":"light","size":2}`
		merged = `{"theme":"light","size":2,"lang":"cy"}`
	)
	for _, res := range []struct {
		name          string
		one           func(id string, kv ...string) string
		all           func(kv ...string) string
		otherContext  string // a profile of another activity or agent
		extraParamErr string
	}{
		{
			"activity profile",
			func(id string, kv ...string) string {
				return target("/xapi/activities/profile", append([]string{"activityId", activityA, "profileId", id}, kv...)...)
			},
			func(kv ...string) string {
				return target("/xapi/activities/profile", append([]string{"activityId", activityA}, kv...)...)
			},
			target("/xapi/activities/profile", "activityId", activityA+"/other", "profileId", "p1"),
			target("/xapi/activities/profile", "activityId", activityA, "profileId", "p1", "agent", agentAnn),
		},
		{
			"agent profile",
			func(id string, kv ...string) string {
				return target("/xapi/agents/profile", append([]string{"agent", agentAnn, "profileId", id}, kv...)...)
			},
			func(kv ...string) string {
				return target("/xapi/agents/profile", append([]string{"agent", agentAnn}, kv...)...)
			},
			target("/xapi/agents/profile", "agent", `{"mbox":"mailto:bob@example.org"}`, "profileId", "p1"),
			target("/xapi/agents/profile", "agent", agentAnn, "profileId", "p1", "activityId", activityA),
		},
	} {
		t.Run(res.name, func(t *testing.T) {
			runSteps(t, l, []step{
				{"PUT new without preconditions", request{method: "PUT", target: res.one("p1"), cred: p, body: v1}, 204, "", true, h("ETag", etag(v1))},
				{"GET", request{method: "GET", target: res.one("p1"), cred: p}, 200, v1, true, h("ETag", etag(v1), "Last-Modified", "?", "Content-Type", "application/json")},
				{"PUT over it without preconditions (1.0.3)", request{method: "PUT", target: res.one("p1"), cred: p, body: v2}, 409, "send its ETag in If-Match", false, nil},
				{"PUT over it without preconditions (2.0)", request{method: "PUT", target: res.one("p1"), cred: p, body: v2, version: "2.0.0"}, 409, "If-Match", false, nil},
				{"unchanged by the 409", request{method: "GET", target: res.one("p1"), cred: p}, 200, v1, true, nil},
				{"PUT If-Match stale", request{method: "PUT", target: res.one("p1"), cred: p, body: v2, headers: h("If-Match", etag(v2))}, 412, "", false, nil},
				{"PUT If-Match current", request{method: "PUT", target: res.one("p1"), cred: p, body: v2, headers: h("If-Match", etag(v1))}, 204, "", true, nil},
				{"PUT If-None-Match * exists", request{method: "PUT", target: res.one("p1"), cred: p, body: v1, headers: h("If-None-Match", "*")}, 412, "", false, nil},
				{"POST without preconditions merges", request{method: "POST", target: res.one("p1"), cred: p, body: `{"lang":"cy"}`}, 204, "", true, h("ETag", etag(merged))},
				{"merged", request{method: "GET", target: res.one("p1"), cred: p}, 200, merged, true, nil},
				{"POST If-Match stale", request{method: "POST", target: res.one("p1"), cred: p, body: `{"lang":"en"}`, headers: h("If-Match", etag(v2))}, 412, "", false, nil},
				{"POST non-JSON", request{method: "POST", target: res.one("p1"), cred: p, body: `lang=en`, headers: h("Content-Type", "application/x-www-form-urlencoded")}, 400, "invalid document", false, nil},
				{"unchanged", request{method: "GET", target: res.one("p1"), cred: p}, 200, merged, true, nil},
				{"PUT If-None-Match * new", request{method: "PUT", target: res.one("p2"), cred: p, body: "<p/>", headers: h("If-None-Match", "*", "Content-Type", "text/html")}, 204, "", true, nil},
				{"another context's", request{method: "PUT", target: res.otherContext, cred: p, body: "{}"}, 204, "", true, nil},
				{"HTML returned inert", request{method: "GET", target: res.one("p2"), cred: p}, 200, "<p/>", true,
					h("Content-Type", "text/html", "X-Content-Type-Options", "nosniff", "Content-Security-Policy", "default-src 'none'; sandbox")},
				{"ids", request{method: "GET", target: res.all(), cred: p}, 200, `["p1","p2"]`, true, h("Last-Modified", "?")},
				{"ids since", request{method: "GET", target: res.all("since", "2999-01-01T00:00:00Z"), cred: p}, 200, `[]`, true, nil},
				{"profileId and since", request{method: "GET", target: res.one("p1", "since", "2000-01-01T00:00:00Z"), cred: p}, 400, "cannot be combined with profileId", false, nil},
				{"DELETE without profileId", request{method: "DELETE", target: res.all(), cred: p}, 400, `"property":"profileId"`, false, nil},
				{"DELETE If-Match stale", request{method: "DELETE", target: res.one("p1"), cred: p, headers: h("If-Match", etag(v1))}, 412, "", false, nil},
				{"DELETE If-Match current", request{method: "DELETE", target: res.one("p1"), cred: p, headers: h("If-Match", etag(merged))}, 204, "", true, nil},
				{"DELETE without preconditions", request{method: "DELETE", target: res.one("p2"), cred: p}, 204, "", true, nil},
				{"gone", request{method: "GET", target: res.all(), cred: p}, 200, `[]`, true, nil},
				{"GET deleted", request{method: "GET", target: res.one("p1"), cred: p}, 404, "", false, nil},
				{"a parameter of the other resource", request{method: "GET", target: res.extraParamErr, cred: p}, 400, "is not a parameter of this resource", false, nil},
				{"registration is not a profile parameter", request{method: "GET", target: res.one("p1", "registration", reg1), cred: p}, 400, `"property":"registration"`, false, nil},
			})
		})
	}
}

func TestActivitiesAndAgentsResources(t *testing.T) {
	l := newTestLRS(t, api.Config{})
	defineAny := newTestLRS(t, api.Config{DefineAny: true})
	const (
		activity = "https://courses.coursekit.example/peer-support-training/q1"
		q1       = `{"actor":{"name":"Ann Lee","mbox":"mailto:ann@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/answered"},` +
			`"object":{"id":"` + activity + `","definition":{"name":{"en-GB":"Question 1"},"type":"http://adlnet.gov/expapi/activities/cmi.interaction",` +
			`"interactionType":"choice","correctResponsesPattern":["b"],"choices":[{"id":"a","description":{"en-GB":"Yes"}},{"id":"b","description":{"en-GB":"No"}}]}},` +
			`"context":{"instructor":{"name":"Dr Who","account":{"homePage":"https://lms.example.org","name":"who"}},` +
			`"contextActivities":{"parent":[{"id":"https://courses.coursekit.example/peer-support-training","definition":{"name":{"en-GB":"Peer Support"}}}]}}}`
		// A later statement corrects a description and adds a language,
		// and tries to change the correct answer, which is kept.
		q1b = `{"actor":{"name":"Ann L.","mbox":"mailto:ann@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/answered"},` +
			`"object":{"id":"` + activity + `","definition":{"name":{"cy":"Cwestiwn 1"},"interactionType":"choice","correctResponsesPattern":["a"],` +
			`"choices":[{"id":"a","description":{"en-GB":"Yes!"}}]}}}`
		want = `{"objectType":"Activity","id":"` + activity + `","definition":{"name":{"cy":"Cwestiwn 1","en-GB":"Question 1"},` +
			`"type":"http://adlnet.gov/expapi/activities/cmi.interaction","interactionType":"choice","correctResponsesPattern":["b"],` +
			`"choices":[{"id":"a","description":{"en-GB":"Yes!"}},{"id":"b","description":{"en-GB":"No"}}]}}`
	)
	definer := l.credential(t, "statements/write", "define")
	post := func(l *testLRS, cred, body string) {
		t.Helper()
		if rec := l.do(t, request{method: "POST", target: "/xapi/statements", cred: cred, body: body}); rec.Code != 200 {
			t.Fatalf("POST statement = %d %s", rec.Code, rec.Body)
		}
	}
	// Without define, a statement teaches nothing; with it, it does.
	post(l, l.write, q1)
	activityURL := target("/xapi/activities", "activityId", activity)
	ann := target("/xapi/agents", "agent", `{"mbox":"mailto:ann@example.org"}`)
	unknown := `{"objectType":"Activity","id":"` + activity + `"}`
	runSteps(t, l, []step{
		{"not learned without define", request{method: "GET", target: activityURL, cred: l.reader}, 200, unknown, true, h("ETag", etag(unknown), "Last-Modified", "")},
		{"agent without names", request{method: "GET", target: ann, cred: l.reader}, 200, `{"objectType":"Person","mbox":["mailto:ann@example.org"]}`, true, nil},
	})
	post(l, definer, q1)
	post(l, definer, q1b)
	who := `{"objectType":"Person","name":["Dr Who"],"account":[{"homePage":"https://lms.example.org","name":"who"}]}`
	runSteps(t, l, []step{
		{"learned and merged", request{method: "GET", target: activityURL, cred: l.reader}, 200, want, true, h("Last-Modified", "?", "ETag", etag(want))},
		{"HEAD", request{method: "HEAD", target: activityURL, cred: l.reader}, 200, "", true, h("ETag", etag(want))},
		{"context activity learned", request{method: "GET", target: target("/xapi/activities", "activityId", "https://courses.coursekit.example/peer-support-training"), cred: l.reader}, 200, `"name":{"en-GB":"Peer Support"}`, false, nil},
		{"never seen", request{method: "GET", target: target("/xapi/activities", "activityId", "https://example.org/never"), cred: l.reader}, 200, `{"objectType":"Activity","id":"https://example.org/never"}`, true, nil},
		{"no activityId", request{method: "GET", target: "/xapi/activities", cred: l.reader}, 400, `"property":"activityId"`, false, nil},
		{"bad activityId", request{method: "GET", target: target("/xapi/activities", "activityId", "q1"), cred: l.reader}, 400, `"rule":"must be an IRI"`, false, nil},
		{"unknown parameter", request{method: "GET", target: target("/xapi/activities", "activityId", activity, "agent", agentAnn), cred: l.reader}, 400, `"property":"agent"`, false, nil},
		{"Person with every name", request{method: "GET", target: ann, cred: l.reader}, 200, `{"objectType":"Person","name":["Ann L.","Ann Lee"],"mbox":["mailto:ann@example.org"]}`, true, nil},
		{"the request's name is included", request{method: "GET", target: target("/xapi/agents", "agent", `{"name":"Annie","mbox":"mailto:ann@example.org"}`), cred: l.reader}, 200, `"name":["Ann L.","Ann Lee","Annie"]`, false, nil},
		{"instructor learned", request{method: "GET", target: target("/xapi/agents", "agent", `{"account":{"homePage":"https://lms.example.org","name":"who"}}`), cred: l.reader}, 200, who, true, nil},
		{"Person of an unknown agent", request{method: "GET", target: target("/xapi/agents", "agent", `{"mbox_sha1sum":"EBD31E95054C018B10727CCFFD2EF2EC3A016EE9"}`), cred: l.reader}, 200, `{"objectType":"Person","mbox_sha1sum":["ebd31e95054c018b10727ccffd2ef2ec3a016ee9"]}`, true, nil},
		{"openid", request{method: "GET", target: target("/xapi/agents", "agent", `{"openid":"https://id.example.org/ann"}`), cred: l.reader}, 200, `{"objectType":"Person","openid":["https://id.example.org/ann"]}`, true, nil},
		{"no agent", request{method: "GET", target: "/xapi/agents", cred: l.reader}, 400, `"property":"agent","rule":"is required"`, false, nil},
		{"agent not JSON", request{method: "GET", target: target("/xapi/agents", "agent", "ann"), cred: l.reader}, 400, `"property":"agent"`, false, nil},
		{"a Group", request{method: "GET", target: target("/xapi/agents", "agent", `{"objectType":"Group","mbox":"mailto:t@example.org"}`), cred: l.reader}, 400, "not a Group", false, nil},
	})
	// With DefineAny, any credential's statements teach.
	post(defineAny, defineAny.write, q1)
	runSteps(t, defineAny, []step{
		{"define-any", request{method: "GET", target: activityURL, cred: defineAny.reader}, 200, `"correctResponsesPattern":["b"]`, false, nil},
	})
}

// TestDocumentAlternateSyntax: a 1.0.x client that cannot set headers
// writes a state document through the alternate request syntax, If-Match
// included, and reads it back.
func TestDocumentAlternateSyntax(t *testing.T) {
	l := newTestLRS(t, api.Config{})
	key, secret, _ := strings.Cut(l.Admin, ":")
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"+secret))
	post := func(method, ifMatch, content string) int {
		form := url.Values{"activityId": {activityA}, "agent": {agentAnn}, "stateId": {"alt"}, "Authorization": {auth},
			"X-Experience-API-Version": {"1.0.3"}, "Content-Type": {"application/json"}, "content": {content}}
		if ifMatch != "" {
			form.Set("If-Match", ifMatch)
		}
		req := httptest.NewRequest("POST", "/xapi/activities/state?method="+method, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		l.Handler.ServeHTTP(rec, req)
		return rec.Code
	}
	if code := post("PUT", "", `{"a":1}`); code != 204 {
		t.Fatalf("alternate PUT = %d", code)
	}
	if code := post("PUT", etag(`{"b":2}`), `{"a":2}`); code != 412 {
		t.Errorf("alternate PUT with a stale If-Match = %d, want 412", code)
	}
	if code := post("POST", etag(`{"a":1}`), `{"b":2}`); code != 204 {
		t.Errorf("alternate POST with the current If-Match = %d, want 204", code)
	}
	if rec := l.do(t, request{method: "GET", target: state("alt"), cred: l.Admin}); rec.Body.String() != `{"a":1,"b":2}` {
		t.Errorf("GET = %d %s, want the merged document", rec.Code, rec.Body)
	}
}
