package api_test

import (
	"crypto/sha1"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/coursekit/coursekit/lrs/api"
)

// step is one request of a scenario and what it must answer.
type step struct {
	name   string
	req    request
	status int
	// body is a substring of the response body, or with exact the body.
	body  string
	exact bool
	// header holds response headers and their values; "?" only needs the
	// header to be there, "" needs it absent.
	header map[string]string
}

func runSteps(t *testing.T, l *testLRS, steps []step) {
	t.Helper()
	for _, s := range steps {
		rec := l.do(t, s.req)
		got := rec.Body.String()
		bodyOK := strings.Contains(got, s.body)
		if s.exact {
			bodyOK = got == s.body
		}
		if rec.Code != s.status || !bodyOK {
			t.Errorf("%s: %s %s = %d %q, want %d with %q", s.name, s.req.method, s.req.target, rec.Code, got, s.status, s.body)
			continue
		}
		for h, want := range s.header {
			switch v := rec.Header().Get(h); {
			case want == "?" && v == "":
				t.Errorf("%s: response has no %s", s.name, h)
			case want != "?" && v != want:
				t.Errorf("%s: %s = %q, want %q", s.name, h, v, want)
			}
		}
		if rec.Header().Get("X-Experience-API-Version") == "" {
			t.Errorf("%s: response has no X-Experience-API-Version", s.name)
		}
	}
}

// etag is the quoted SHA-1 of content, as the LRS sends it.
func etag(content string) string {
	sum := sha1.Sum([]byte(content))
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

// target is path with the query parameters given as name, value pairs.
func target(path string, kv ...string) string {
	q := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return path + "?" + q.Encode()
}

const (
	activityA = "https://courses.coursekit.example/peer-support-training/listening"
	agentAnn  = `{"objectType":"Agent","mbox":"mailto:ann@example.org"}`
	reg1      = "9a2a8d5c-65ab-4b1e-9b0c-3c6a3f4b2a11"
)

func state(id string, kv ...string) string {
	return target("/xapi/activities/state", append([]string{"activityId", activityA, "agent", agentAnn, "stateId", id}, kv...)...)
}

func states(kv ...string) string {
	return target("/xapi/activities/state", append([]string{"activityId", activityA, "agent", agentAnn}, kv...)...)
}

func h(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func TestStateResource(t *testing.T) {
	l := newTestLRS(t, api.Config{MaxDocumentBytes: 1000})
	st := l.credential(t, "state")
	const (
		doc1   = `{"x" : "foo", "y":"bar", "n": 0.1000000000000000055511151231257827}`
		merged = `{"x":"bash","y":"bar","n":0.1000000000000000055511151231257827,"z":"faz"}`
	)
	binary := string([]byte{0, 1, 2, 0xfe, 0xff, '\r', '\n'})
	octet := h("Content-Type", "application/octet-stream")
	steps := []step{
		{"GET absent", request{method: "GET", target: state("s1"), cred: st}, 404, "not found", false, nil},
		{"PUT new", request{method: "PUT", target: state("s1"), cred: st, body: doc1}, 204, "", true, h("ETag", etag(doc1))},
		{"GET exact", request{method: "GET", target: state("s1"), cred: st}, 200, doc1, true,
			h("ETag", etag(doc1), "Content-Type", "application/json", "Last-Modified", "?")},
		{"HEAD", request{method: "HEAD", target: state("s1"), cred: st}, 200, "", true, h("ETag", etag(doc1), "Content-Length", strconv.Itoa(len(doc1)))},
		{"1.0.3 PUT over an existing state without preconditions", request{method: "PUT", target: state("s1"), cred: st, body: `{"x":"foo"}`}, 204, "", true, nil},
		{"2.0 PUT over an existing state without preconditions", request{method: "PUT", target: state("s1"), cred: st, body: doc1, version: "2.0.0"}, 409, "If-Match", false, nil},
		{"unchanged by the 409", request{method: "GET", target: state("s1"), cred: st}, 200, `{"x":"foo"}`, true, nil},
		{"PUT If-Match stale", request{method: "PUT", target: state("s1"), cred: st, body: doc1, headers: h("If-Match", etag(doc1))}, 412, "precondition failed", false, nil},
		{"unchanged by the 412", request{method: "GET", target: state("s1"), cred: st}, 200, `{"x":"foo"}`, true, nil},
		{"PUT If-Match current, unquoted and among others", request{method: "PUT", target: state("s1"), cred: st, body: doc1,
			headers: h("If-Match", `"0000", `+strings.Trim(etag(`{"x":"foo"}`), `"`))}, 204, "", true, h("ETag", etag(doc1))},
		{"PUT If-Match weak never matches", request{method: "PUT", target: state("s1"), cred: st, body: doc1, headers: h("If-Match", "W/"+etag(doc1))}, 412, "", false, nil},
		{"PUT If-None-Match * on an existing state", request{method: "PUT", target: state("s1"), cred: st, body: "{}", headers: h("If-None-Match", "*")}, 412, "", false, nil},
		{"PUT If-None-Match weak match", request{method: "PUT", target: state("s1"), cred: st, body: "{}", headers: h("If-None-Match", "W/"+etag(doc1))}, 412, "", false, nil},
		{"PUT If-None-Match other tag", request{method: "PUT", target: state("s1"), cred: st, body: doc1, headers: h("If-None-Match", `"0000"`)}, 204, "", true, nil},
		{"PUT If-Match * on an absent state", request{method: "PUT", target: state("s2"), cred: st, body: "{}", headers: h("If-Match", "*")}, 412, "", false, nil},
		{"PUT If-None-Match * on an absent state", request{method: "PUT", target: state("s2"), cred: st, body: binary, headers: h("If-None-Match", "*", "Content-Type", "application/octet-stream")}, 204, "", true, nil},
		{"binary returned exactly", request{method: "GET", target: state("s2"), cred: st}, 200, binary, true, h("Content-Type", "application/octet-stream", "ETag", etag(binary))},
		{"PUT If-Match * on an existing state", request{method: "PUT", target: state("s2"), cred: st, body: binary, headers: h("If-Match", "*", "Content-Type", "application/octet-stream")}, 204, "", true, nil},
		{"empty If-Match", request{method: "PUT", target: state("s2"), cred: st, body: "{}", headers: h("If-Match", " ")}, 400, `"property":"If-Match"`, false, nil},

		// POST merges JSON objects at the top level (Communication §2.2).
		{"POST merge", request{method: "POST", target: state("s1"), cred: st, body: `{"x" : "bash", "z":"faz"}`}, 204, "", true, h("ETag", etag(merged))},
		{"merged", request{method: "GET", target: state("s1"), cred: st}, 200, merged, true, h("ETag", etag(merged))},
		{"POST text onto JSON", request{method: "POST", target: state("s1"), cred: st, body: "x", headers: h("Content-Type", "text/plain")}, 400, `"property":"Content-Type"`, false, nil},
		{"POST a JSON array", request{method: "POST", target: state("s1"), cred: st, body: `[1]`}, 400, `"rule":"must be a JSON object"`, false, nil},
		{"POST a repeated property", request{method: "POST", target: state("s1"), cred: st, body: `{"a":1,"a":2}`}, 400, "twice", false, nil},
		{"POST JSON onto binary", request{method: "POST", target: state("s2"), cred: st, body: `{"a":1}`}, 400, "replace it with PUT", false, nil},
		{"unchanged by the 400s", request{method: "GET", target: state("s1"), cred: st}, 200, merged, true, nil},
		{"POST If-Match stale", request{method: "POST", target: state("s1"), cred: st, body: `{"a":1}`, headers: h("If-Match", etag(doc1))}, 412, "", false, nil},
		{"POST If-None-Match * on an existing state", request{method: "POST", target: state("s1"), cred: st, body: `{"a":1}`, headers: h("If-None-Match", "*")}, 412, "", false, nil},
		{"POST If-Match current", request{method: "POST", target: state("s1"), cred: st, body: `{"a":1}`, headers: h("If-Match", etag(merged))}, 204, "", true, nil},
		{"POST creates", request{method: "POST", target: state("s3", "registration", strings.ToUpper(reg1)), cred: st, body: `plain`, headers: h("Content-Type", "text/plain")}, 204, "", true, nil},
		{"registration lower-cased", request{method: "GET", target: state("s3", "registration", reg1), cred: st}, 200, "plain", true, h("Content-Type", "text/plain")},
		{"no registration is another state", request{method: "GET", target: state("s3"), cred: st}, 404, "", false, nil},

		// Ids: every registration without one, since exclusive.
		{"ids", request{method: "GET", target: states(), cred: st}, 200, `["s1","s2","s3"]`, true, h("Last-Modified", "?", "ETag", etag(`["s1","s2","s3"]`))},
		{"ids of a registration", request{method: "GET", target: states("registration", reg1), cred: st}, 200, `["s3"]`, true, nil},
		{"ids since long ago", request{method: "GET", target: states("since", "2000-01-01T00:00:00Z"), cred: st}, 200, `["s1","s2","s3"]`, true, nil},
		{"ids since later", request{method: "GET", target: states("since", "2999-01-01T00:00:00+01:00"), cred: st}, 200, `[]`, true, h("Last-Modified", "")},
		{"HEAD ids", request{method: "HEAD", target: states(), cred: st}, 200, "", true, h("ETag", "?")},
		{"stateId and since", request{method: "GET", target: state("s1", "since", "2000-01-01T00:00:00Z"), cred: st}, 400, `"property":"since"`, false, nil},
		{"stateId and since, 2.0", request{method: "GET", target: state("s1", "since", "2000-01-01T00:00:00Z"), cred: st, version: "2.0.0"}, 400, `cannot be combined with stateId`, false, nil},
		{"bad since", request{method: "GET", target: states("since", "yesterday"), cred: st}, 400, `"property":"since"`, false, nil},

		// DELETE.
		{"DELETE If-Match stale", request{method: "DELETE", target: state("s1"), cred: st, headers: h("If-Match", etag(doc1))}, 412, "", false, nil},
		{"DELETE If-None-Match *", request{method: "DELETE", target: state("s1"), cred: st, headers: h("If-None-Match", "*")}, 412, "", false, nil},
		{"still there", request{method: "GET", target: state("s1"), cred: st}, 200, `"a":1`, false, nil},
		{"DELETE If-Match current", request{method: "DELETE", target: state("s2"), cred: st, headers: h("If-Match", etag(binary))}, 204, "", true, nil},
		{"deleted", request{method: "GET", target: state("s2"), cred: st}, 404, "", false, nil},
		{"DELETE absent", request{method: "DELETE", target: state("s2"), cred: st}, 204, "", true, nil},
		{"DELETE all with If-Match", request{method: "DELETE", target: states(), cred: st, headers: h("If-Match", "*")}, 400, "applies to one document", false, nil},
		{"DELETE all of a registration", request{method: "DELETE", target: states("registration", reg1), cred: st}, 204, "", true, nil},
		{"ids after", request{method: "GET", target: states(), cred: st}, 200, `["s1"]`, true, nil},
		{"DELETE all", request{method: "DELETE", target: states(), cred: st}, 204, "", true, nil},
		{"none left", request{method: "GET", target: states(), cred: st}, 200, `[]`, true, nil},

		// Limits and parameters.
		{"too large", request{method: "PUT", target: state("big"), cred: st, body: strings.Repeat("x", 1001), headers: octet}, 413, "too large", false, nil},
		{"at the limit", request{method: "PUT", target: state("big"), cred: st, body: strings.Repeat("x", 1000), headers: octet}, 204, "", true, nil},
		{"too large, no change", request{method: "PUT", target: state("big"), cred: st, body: strings.Repeat("y", 1001), headers: octet}, 413, "", false, nil},
		{"at the limit, kept", request{method: "HEAD", target: state("big"), cred: st}, 200, "", true, h("ETag", etag(strings.Repeat("x", 1000)))},
		{"unknown parameter", request{method: "GET", target: state("s1", "foo", "1"), cred: st}, 400, `"property":"foo"`, false, nil},
		{"wrongly cased parameter", request{method: "GET", target: target("/xapi/activities/state", "activityId", activityA, "agent", agentAnn, "StateId", "s1"), cred: st}, 400, "did you mean stateId?", false, nil},
		{"since on PUT", request{method: "PUT", target: state("s1", "since", "2000-01-01T00:00:00Z"), cred: st, body: "{}"}, 400, `"property":"since"`, false, nil},
		{"no activityId", request{method: "GET", target: target("/xapi/activities/state", "agent", agentAnn), cred: st}, 400, `"property":"activityId","rule":"is required"`, false, nil},
		{"bad activityId", request{method: "GET", target: target("/xapi/activities/state", "activityId", "listening", "agent", agentAnn), cred: st}, 400, `"property":"activityId","rule":"must be an IRI"`, false, nil},
		{"no agent", request{method: "GET", target: target("/xapi/activities/state", "activityId", activityA), cred: st}, 400, `"property":"agent","rule":"is required"`, false, nil},
		{"agent not JSON", request{method: "GET", target: target("/xapi/activities/state", "activityId", activityA, "agent", `{"mbox":`), cred: st}, 400, `"property":"agent"`, false, nil},
		{"agent with a bad mbox", request{method: "GET", target: target("/xapi/activities/state", "activityId", activityA, "agent", `{"mbox":"ann@example.org"}`), cred: st}, 400, `"property":"agent","rule":"must be a JSON Agent: mbox`, false, nil},
		{"agent with two identifiers", request{method: "GET", target: target("/xapi/activities/state", "activityId", activityA, "agent", `{"mbox":"mailto:a@example.org","openid":"https://example.org/a"}`), cred: st}, 400, `"property":"agent"`, false, nil},
		{"agent a Group", request{method: "GET", target: target("/xapi/activities/state", "activityId", activityA, "agent", `{"objectType":"Group","mbox":"mailto:team@example.org"}`), cred: st}, 400, "not a Group", false, nil},
		{"bad registration", request{method: "GET", target: states("registration", "1"), cred: st}, 400, `"property":"registration"`, false, nil},
		{"PUT without stateId", request{method: "PUT", target: states(), cred: st, body: "{}"}, 400, `"property":"stateId","rule":"is required on PUT"`, false, nil},
		{"empty stateId", request{method: "GET", target: state(""), cred: st}, 400, `"property":"stateId"`, false, nil},
		{"stateId with NUL", request{method: "PUT", target: state("a\x00b"), cred: st, body: "{}"}, 400, `"property":"stateId"`, false, nil},
		{"the same agent spelt otherwise", request{method: "GET", target: target("/xapi/activities/state", "activityId", activityA, "agent", `{"mbox":"mailto:ann@EXAMPLE.org","name":"Ann"}`, "stateId", "big"), cred: st}, 200, "xxx", false, nil},
	}
	runSteps(t, l, steps)
}

func TestDocumentScopes(t *testing.T) {
	l := newTestLRS(t, api.Config{})
	cred := map[string]string{
		"state": l.credential(t, "state"), "profile": l.credential(t, "profile"), "all/read": l.credential(t, "all/read"),
		"statements/write": l.write, "statements/read": l.reader, "define": l.credential(t, "define"), "all": l.Admin, "none": "",
	}
	actProfile := target("/xapi/activities/profile", "activityId", activityA, "profileId", "p")
	agentProfile := target("/xapi/agents/profile", "agent", agentAnn, "profileId", "p")
	activity := target("/xapi/activities", "activityId", activityA)
	agents := target("/xapi/agents", "agent", agentAnn)
	tests := []struct {
		cred, method, target string
		status               int
	}{
		{"none", "GET", state("s"), 401},
		{"none", "PUT", state("s"), 401},
		{"state", "PUT", state("s"), 204},
		{"state", "GET", state("s"), 200},
		{"state", "DELETE", state("s"), 204},
		{"state", "GET", actProfile, 403},
		{"all/read", "GET", states(), 200},
		{"all/read", "PUT", state("s"), 403},
		{"all/read", "GET", actProfile, 404},
		{"statements/write", "GET", states(), 403},
		{"statements/write", "PUT", state("s"), 403},
		{"statements/read", "GET", states(), 403},
		{"profile", "PUT", state("s"), 403},
		{"profile", "PUT", actProfile, 204},
		{"profile", "PUT", agentProfile, 204},
		{"profile", "GET", agentProfile, 200},
		{"state", "PUT", agentProfile, 403},
		{"all", "POST", agentProfile, 204},
		{"all", "GET", activity, 200},
		{"statements/read", "GET", activity, 200},
		{"define", "GET", agents, 200},
		{"all/read", "GET", agents, 200},
		{"statements/write", "GET", activity, 403},
		{"state", "GET", agents, 403},
		{"none", "GET", agents, 401},
	}
	for _, tt := range tests {
		req := request{method: tt.method, target: tt.target, cred: cred[tt.cred]}
		if tt.method == "PUT" || tt.method == "POST" {
			req.body = `{"a":1}`
		}
		if tt.method == "PUT" {
			req.headers = h("If-None-Match", "*")
		}
		rec := l.do(t, req)
		if rec.Code != tt.status {
			t.Errorf("%s %s with %s = %d %s, want %d", tt.method, tt.target, tt.cred, rec.Code, rec.Body, tt.status)
		}
		if rec.Code == 403 && !strings.Contains(rec.Body.String(), `"property":"scope"`) {
			t.Errorf("403 does not name the scope: %s", rec.Body)
		}
	}
}
