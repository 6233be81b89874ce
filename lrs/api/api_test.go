package api_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/coursekit/coursekit/lrs/api"
	"github.com/coursekit/coursekit/lrs/lrstest"
	"github.com/coursekit/coursekit/lrs/storetest"
)

// testLRS is a server on a fresh store with an admin, a reader and a
// writer credential.
type testLRS struct {
	*lrstest.LRS
	reader, write string // "key:secret"
}

// credential creates another credential with the scopes.
func (l *testLRS) credential(t testing.TB, scopes ...string) string {
	t.Helper()
	return l.Credential(t, "test", scopes...)
}

func newTestLRS(t testing.TB, cfg api.Config) *testLRS {
	t.Helper()
	return newTestLRSWith(t, "statements/read", lrstest.Config(cfg), lrstest.Documents())
}

func newTestLRSOn(t testing.TB, cfg api.Config, dsn string) *testLRS {
	t.Helper()
	return newTestLRSWith(t, "statements/read", lrstest.Config(cfg), lrstest.DSN(dsn), lrstest.Documents())
}

// newTestLRSWith is the LRS the options build, with a reader credential
// of readScope.
func newTestLRSWith(t testing.TB, readScope string, opts ...lrstest.Option) *testLRS {
	t.Helper()
	l := &testLRS{LRS: lrstest.New(t, opts...)}
	l.reader, l.write = l.credential(t, readScope), l.credential(t, "statements/write")
	return l
}

type request struct {
	method, target, body string
	cred                 string // "key:secret"; "" for none
	version              string // X-Experience-API-Version; "-" for none
	headers              map[string]string
}

func (l *testLRS) do(t *testing.T, r request) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	l.Handler.ServeHTTP(rec, newRequest(r))
	return rec
}

func newRequest(r request) *http.Request {
	req := httptest.NewRequest(r.method, r.target, strings.NewReader(r.body))
	if r.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	switch r.version {
	case "-":
	case "":
		req.Header.Set("X-Experience-API-Version", "1.0.3")
	default:
		req.Header.Set("X-Experience-API-Version", r.version)
	}
	if r.cred != "" {
		k, s, _ := strings.Cut(r.cred, ":")
		req.SetBasicAuth(k, s)
	}
	for k, v := range r.headers {
		req.Header.Set(k, v)
	}
	return req
}

const stmt = `{"actor":{"mbox":"mailto:ada@example.org","name":"Ada"},
 "verb":{"id":"http://adlnet.gov/expapi/verbs/completed","display":{"en-GB":"completed"}},
 "object":{"id":"https://courses.coursekit.example/peer-support-training/positive-risk-taking"},
 "result":{"score":{"scaled":0.1000000000000000055511151231257827}}}`

func stmtWithID(id string) string { return `{"id":"` + id + `",` + stmt[1:] }

const id1 = "5b6e0b5c-9c2a-4c8e-8f8e-3a9b0e6b7c1d"

func TestRequestRules(t *testing.T) {
	l := newTestLRS(t, api.Config{MaxBodyBytes: 4096})
	tests := []struct {
		name       string
		req        request
		wantStatus int
		wantBody   string // substring
	}{
		{"about needs no version or credential", request{method: "GET", target: "/xapi/about", version: "-"}, 200, `"2.0.0"`},
		{"version header required", request{method: "GET", target: "/xapi/statements", cred: "admin", version: "-"}, 400, `"property":"X-Experience-API-Version"`},
		{"unsupported version", request{method: "GET", target: "/xapi/statements", cred: "admin", version: "0.95"}, 400, `"rule":"must be one of`},
		{"no credential", request{method: "GET", target: "/xapi/statements"}, 401, `credential`},
		{"wrong secret", request{method: "GET", target: "/xapi/statements", cred: "wrong"}, 401, ``},
		{"read credential cannot write", request{method: "POST", target: "/xapi/statements", cred: "reader", body: stmt}, 403, `"rule":"needs statements/write"`},
		{"write credential cannot read", request{method: "GET", target: "/xapi/statements", cred: "write"}, 403, `needs statements/read`},
		{"unknown parameter", request{method: "GET", target: "/xapi/statements?foo=1", cred: "admin"}, 400, `"property":"foo"`},
		{"case-mismatched parameter", request{method: "GET", target: "/xapi/statements?StatementId=" + id1, cred: "admin"}, 400, `did you mean statementId?`},
		{"statementId with a filter", request{method: "GET", target: "/xapi/statements?statementId=" + id1 + "&verb=http://x.org/v", cred: "admin"}, 400, `"property":"verb"`},
		{"bad agent parameter", request{method: "GET", target: `/xapi/statements?agent={"mbox":"ada@example.org"}`, cred: "admin"}, 400, `"property":"agent"`},
		{"bad since", request{method: "GET", target: "/xapi/statements?since=yesterday", cred: "admin"}, 400, `"property":"since"`},
		{"bad limit", request{method: "GET", target: "/xapi/statements?limit=-1", cred: "admin"}, 400, `"property":"limit"`},
		{"bad format", request{method: "GET", target: "/xapi/statements?format=full", cred: "admin"}, 400, `"property":"format"`},
		{"malformed JSON", request{method: "POST", target: "/xapi/statements", cred: "write", body: `{"actor":`}, 400, `"error":"invalid statement"`},
		{"invalid mbox", request{method: "POST", target: "/xapi/statements", cred: "write", body: strings.Replace(stmt, "mailto:ada", "ada", 1)}, 400, `"property":"actor.mbox"`},
		{"too large", request{method: "POST", target: "/xapi/statements", cred: "write", body: strings.Repeat(" ", 5000) + stmt}, 413, `too large`},
		{"PUT without statementId", request{method: "PUT", target: "/xapi/statements", cred: "write", body: stmt}, 400, `"property":"statementId"`},
		{"PUT id mismatch", request{method: "PUT", target: "/xapi/statements?statementId=" + id1, cred: "write", body: stmtWithID("6b6e0b5c-9c2a-4c8e-8f8e-3a9b0e6b7c1d")}, 400, `must match`},
		{"unknown statement", request{method: "GET", target: "/xapi/statements?statementId=" + id1, cred: "admin"}, 404, `not found`},
		{"healthz", request{method: "GET", target: "/healthz", version: "-"}, 200, `ok`},
		{"readyz", request{method: "GET", target: "/readyz", version: "-"}, 200, `ready`},
	}
	creds := map[string]string{"admin": l.Admin, "reader": l.reader, "write": l.write, "wrong": strings.Split(l.Admin, ":")[0] + ":nope"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.cred = creds[tt.req.cred]
			rec := l.do(t, tt.req)
			if rec.Code != tt.wantStatus || !strings.Contains(rec.Body.String(), tt.wantBody) {
				t.Errorf("%s %s = %d %s, want %d containing %s", tt.req.method, tt.req.target, rec.Code, rec.Body, tt.wantStatus, tt.wantBody)
			}
			if strings.HasPrefix(tt.req.target, "/xapi/") && rec.Header().Get("X-Experience-API-Version") == "" {
				t.Error("response has no X-Experience-API-Version")
			}
			// Communication §2.1.3: on all responses of the Statements resource.
			if strings.HasPrefix(tt.req.target, "/xapi/statements") && rec.Header().Get("X-Experience-API-Consistent-Through") == "" {
				t.Error("statements response has no X-Experience-API-Consistent-Through")
			}
			if rec.Code == 401 && rec.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			if rec.Code >= 400 && rec.Code != 404 && !json.Valid(rec.Body.Bytes()) {
				t.Errorf("error body is not JSON: %s", rec.Body)
			}
		})
	}
}

func TestStatementsLifecycle(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { statementsLifecycle(t, newTestLRS(t, api.Config{})) })
	t.Run("postgres", func(t *testing.T) { statementsLifecycle(t, newTestLRSOn(t, api.Config{}, storetest.PostgresDSN(t))) })
}

func statementsLifecycle(t *testing.T, l *testLRS) {
	// PUT, then the same again (no change), then different content (409).
	put := request{method: "PUT", target: "/xapi/statements?statementId=" + id1, cred: l.write, body: stmt}
	if rec := l.do(t, put); rec.Code != 204 {
		t.Fatalf("PUT = %d %s", rec.Code, rec.Body)
	}
	if rec := l.do(t, put); rec.Code != 204 {
		t.Errorf("PUT again with the same content = %d %s, want 204", rec.Code, rec.Body)
	}
	conflict := put
	conflict.body = strings.Replace(stmt, "completed", "attempted", 1)
	if rec := l.do(t, conflict); rec.Code != 409 {
		t.Errorf("PUT with different content = %d %s, want 409", rec.Code, rec.Body)
	}

	get := l.do(t, request{method: "GET", target: "/xapi/statements?statementId=" + id1, cred: l.reader})
	if get.Code != 200 {
		t.Fatalf("GET = %d %s", get.Code, get.Body)
	}
	for _, h := range []string{"Last-Modified", "X-Experience-API-Consistent-Through"} {
		if get.Header().Get(h) == "" {
			t.Errorf("GET has no %s", h)
		}
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal(get.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "stored", "authority", "version", "timestamp"} {
		if got[k] == nil {
			t.Errorf("stored statement has no %s: %s", k, get.Body)
		}
	}
	if !bytes.Contains(get.Body.Bytes(), []byte("0.1000000000000000055511151231257827")) {
		t.Errorf("number precision lost: %s", get.Body)
	}
	if head := l.do(t, request{method: "HEAD", target: "/xapi/statements?statementId=" + id1, cred: l.reader}); head.Code != 200 || head.Body.Len() != 0 {
		t.Errorf("HEAD = %d with %d body bytes, want 200 and none", head.Code, head.Body.Len())
	}

	// A batch with one invalid statement stores nothing.
	bad := `[` + stmt + `,` + strings.Replace(stmt, `"http://adlnet.gov/expapi/verbs/completed"`, `"completed"`, 1) + `]`
	if rec := l.do(t, request{method: "POST", target: "/xapi/statements", cred: l.write, body: bad}); rec.Code != 400 || !strings.Contains(rec.Body.String(), `"property":"[1].verb.id"`) {
		t.Errorf("POST batch with an invalid statement = %d %s", rec.Code, rec.Body)
	}
	dup := `[` + stmtWithID("7b6e0b5c-9c2a-4c8e-8f8e-3a9b0e6b7c1d") + `,` + stmtWithID("7b6e0b5c-9c2a-4c8e-8f8e-3a9b0e6b7c1d") + `]`
	if rec := l.do(t, request{method: "POST", target: "/xapi/statements", cred: l.write, body: dup}); rec.Code != 400 {
		t.Errorf("POST batch with duplicate ids = %d %s, want 400", rec.Code, rec.Body)
	}
	if n := countStatements(t, l, ""); n != 1 {
		t.Errorf("after rejected batches the LRS holds %d statements, want 1", n)
	}

	// POST a batch, page through it with more links.
	var batch []string
	for range 5 {
		batch = append(batch, strings.Replace(stmt, "Ada", "Ada Lovelace", 1))
	}
	rec := l.do(t, request{method: "POST", target: "/xapi/statements", cred: l.write, body: "[" + strings.Join(batch, ",") + "]"})
	var ids []string
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &ids) != nil || len(ids) != 5 {
		t.Fatalf("POST batch = %d %s", rec.Code, rec.Body)
	}
	seen := map[string]bool{}
	target := "/xapi/statements?limit=2&verb=http://adlnet.gov/expapi/verbs/completed"
	for pages := 0; target != ""; pages++ {
		if pages > 5 {
			t.Fatal("more links do not end")
		}
		var page struct {
			Statements []struct{ ID string }
			More       string
		}
		rec := l.do(t, request{method: "GET", target: target, cred: l.reader})
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &page) != nil {
			t.Fatalf("GET %s = %d %s", target, rec.Code, rec.Body)
		}
		for _, s := range page.Statements {
			if seen[s.ID] {
				t.Errorf("statement %s on two pages", s.ID)
			}
			seen[s.ID] = true
		}
		// A statement arriving between pages changes nothing already paged.
		l.do(t, request{method: "POST", target: "/xapi/statements", cred: l.write, body: stmt})
		target = page.More
	}
	if len(seen) != 6 {
		t.Errorf("paging saw %d statements, want the 6 stored before it began", len(seen))
	}

	// Voiding.
	void := `{"actor":{"mbox":"mailto:admin@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},"object":{"objectType":"StatementRef","id":"` + id1 + `"}}`
	rec = l.do(t, request{method: "POST", target: "/xapi/statements", cred: l.write, body: void})
	if rec.Code != 200 {
		t.Fatalf("POST voiding = %d %s", rec.Code, rec.Body)
	}
	var voidIDs []string
	_ = json.Unmarshal(rec.Body.Bytes(), &voidIDs)
	if rec := l.do(t, request{method: "GET", target: "/xapi/statements?statementId=" + id1, cred: l.reader}); rec.Code != 404 {
		t.Errorf("GET voided by statementId = %d, want 404", rec.Code)
	}
	if rec := l.do(t, request{method: "GET", target: "/xapi/statements?voidedStatementId=" + id1, cred: l.reader}); rec.Code != 200 {
		t.Errorf("GET voidedStatementId = %d %s, want 200", rec.Code, rec.Body)
	}
	voidVoid := strings.Replace(void, id1, voidIDs[0], 1)
	if rec := l.do(t, request{method: "POST", target: "/xapi/statements", cred: l.write, body: voidVoid}); rec.Code != 400 {
		t.Errorf("voiding a voiding statement = %d %s, want 400", rec.Code, rec.Body)
	}
}

func TestCORSPreflight(t *testing.T) {
	l := newTestLRS(t, api.Config{AllowedOrigins: []string{"https://lms.example.org"}})
	rec := l.do(t, request{method: "OPTIONS", target: "/xapi/statements", version: "-", headers: map[string]string{
		"Origin": "https://lms.example.org", "Access-Control-Request-Method": "POST",
		"Access-Control-Request-Headers": "authorization,content-type,x-experience-api-version",
	}})
	if rec.Code != 204 || rec.Header().Get("Access-Control-Allow-Origin") != "https://lms.example.org" ||
		!strings.Contains(strings.ToLower(rec.Header().Get("Access-Control-Allow-Headers")), "x-experience-api-version") {
		t.Errorf("preflight = %d %v", rec.Code, rec.Header())
	}
	other := l.do(t, request{method: "OPTIONS", target: "/xapi/statements", version: "-", headers: map[string]string{
		"Origin": "https://evil.example", "Access-Control-Request-Method": "POST",
	}})
	if other.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight from an unlisted origin allowed: %v", other.Header())
	}
}

func countStatements(t *testing.T, l *testLRS, query string) int {
	t.Helper()
	rec := l.do(t, request{method: "GET", target: "/xapi/statements?" + query, cred: l.reader})
	var page struct{ Statements []json.RawMessage }
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &page) != nil {
		t.Fatalf("GET statements = %d %s", rec.Code, rec.Body)
	}
	return len(page.Statements)
}

func TestAlternateRequestSyntax(t *testing.T) {
	l := newTestLRS(t, api.Config{})
	key, secret, _ := strings.Cut(l.Admin, ":")
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"+secret))
	form := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	post := func(target, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", target, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		l.Handler.ServeHTTP(rec, req)
		return rec
	}
	// PUT through the alternate syntax, then GET through it too.
	rec := post("/xapi/statements?method=PUT", form("statementId", id1, "Authorization", auth,
		"X-Experience-API-Version", "1.0.3", "Content-Type", "application/json", "content", stmt))
	if rec.Code != 204 {
		t.Fatalf("alternate PUT = %d %s", rec.Code, rec.Body)
	}
	rec = post("/xapi/statements?method=GET", form("statementId", id1, "Authorization", auth, "X-Experience-API-Version", "1.0.3"))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), id1) {
		t.Errorf("alternate GET = %d %s", rec.Code, rec.Body)
	}
	for _, tt := range []struct {
		name, target, body, want string
	}{
		{"2.0 has no alternate syntax", "/xapi/statements?method=GET", form("Authorization", auth, "X-Experience-API-Version", "2.0.0"), "xAPI 2.0 has no alternate request syntax"},
		{"other query parameters", "/xapi/statements?method=GET&limit=1", form("Authorization", auth, "X-Experience-API-Version", "1.0.3"), "allows no other query parameter"},
		{"unknown method", "/xapi/statements?method=PATCH", form("Authorization", auth, "X-Experience-API-Version", "1.0.3"), "must be GET, HEAD, PUT, POST or DELETE"},
	} {
		rec := post(tt.target, tt.body)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), tt.want) {
			t.Errorf("%s: %d %s, want 400 with %q", tt.name, rec.Code, rec.Body, tt.want)
		}
		if rec.Header().Get("X-Experience-API-Consistent-Through") == "" {
			t.Errorf("%s: no X-Experience-API-Consistent-Through on a Statements refusal", tt.name)
		}
	}
}

// TestGetAttachments: GET with attachments=true returns the payloads as
// multipart/mixed parts, for a single statement as for a query
// (Communication §2.1.3); without it, JSON alone.
func TestGetAttachments(t *testing.T) {
	l := newTestLRS(t, api.Config{})
	const (
		id      = "8b6e0b5c-9c2a-4c8e-8f8e-3a9b0e6b7c1d"
		payload = "certificate of completion\n"
		sha2    = "d974b8800dcc2b3a3f73e101fcd1a824ed1a39f06b329f2c3541aace8beaf25e" // SHA-256 of payload
	)
	withAttachment := `{"id":"` + id + `",` + stmt[1:len(stmt)-1] + `,"attachments":[{"usageType":"http://id.tincanapi.com/attachment/certificate-of-completion",` +
		`"display":{"en-US":"certificate"},"contentType":"text/plain","length":26,"sha2":"` + sha2 + `"}]}`
	body := "--b\r\nContent-Type: application/json\r\n\r\n" + withAttachment +
		"\r\n--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: " + sha2 + "\r\n\r\n" + payload + "\r\n--b--\r\n"
	rec := l.do(t, request{method: "POST", target: "/xapi/statements", cred: l.write, body: body,
		headers: map[string]string{"Content-Type": "multipart/mixed; boundary=b"}})
	if rec.Code != 200 {
		t.Fatalf("POST multipart = %d %s", rec.Code, rec.Body)
	}
	tests := []struct {
		target      string
		wantType    string
		wantPayload bool
	}{
		{"/xapi/statements?statementId=" + id + "&attachments=true", "multipart/mixed", true},
		{"/xapi/statements?voidedStatementId=" + id + "&attachments=true", "application/json", false}, // 404: not voided
		{"/xapi/statements?attachments=true", "multipart/mixed", true},
		{"/xapi/statements?statementId=" + id, "application/json", false},
		{"/xapi/statements?statementId=" + id + "&attachments=false", "application/json", false},
	}
	for _, tt := range tests {
		rec := l.do(t, request{method: "GET", target: tt.target, cred: l.reader})
		gotType := rec.Header().Get("Content-Type")
		gotPayload := strings.Contains(rec.Body.String(), "X-Experience-API-Hash: "+sha2+"\r\n\r\n"+payload)
		if !strings.HasPrefix(gotType, tt.wantType) || gotPayload != tt.wantPayload {
			t.Errorf("GET %s = %d %s with the payload part %v, want %s with it %v\n%s", tt.target, rec.Code, gotType, gotPayload, tt.wantType, tt.wantPayload, rec.Body)
		}
	}
}

func TestReadMineScope(t *testing.T) {
	l := newTestLRS(t, api.Config{})
	a, b := l.credential(t, "statements/write", "statements/read/mine"), l.credential(t, "statements/write", "statements/read/mine")
	post := func(cred string) string {
		rec := l.do(t, request{method: "POST", target: "/xapi/statements", cred: cred, body: stmt})
		var ids []string
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &ids) != nil {
			t.Fatalf("POST = %d %s", rec.Code, rec.Body)
		}
		return ids[0]
	}
	mineA, mineB := post(a), post(b)
	var page struct{ Statements []struct{ ID string } }
	rec := l.do(t, request{method: "GET", target: "/xapi/statements", cred: a})
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &page) != nil || len(page.Statements) != 1 || page.Statements[0].ID != mineA {
		t.Errorf("read/mine query = %d %s, want only %s", rec.Code, rec.Body, mineA)
	}
	if rec := l.do(t, request{method: "GET", target: "/xapi/statements?statementId=" + mineB, cred: a}); rec.Code != 404 {
		t.Errorf("read/mine GET of another credential's statement = %d, want 404", rec.Code)
	}
	if rec := l.do(t, request{method: "GET", target: "/xapi/statements?statementId=" + mineA, cred: a}); rec.Code != 200 {
		t.Errorf("read/mine GET of its own statement = %d, want 200", rec.Code)
	}
	if n := countStatements(t, l, ""); n != 2 {
		t.Errorf("a statements/read credential sees %d statements, want both", n)
	}
}

// TestMethodNotAllowed: a method an xAPI resource does not take is 405
// with the methods it does take, before any credential is asked for; a
// path that is no resource stays 404.
func TestMethodNotAllowed(t *testing.T) {
	l := newTestLRS(t, api.Config{})
	tests := []struct {
		method, target string
		wantStatus     int
		wantAllow      string
	}{
		{"POST", "/xapi/activities?activityId=http://x.org/a", 405, "GET, HEAD"},
		{"PUT", "/xapi/agents?agent={}", 405, "GET, HEAD"},
		{"DELETE", "/xapi/statements", 405, "GET, HEAD, POST, PUT"},
		{"PATCH", "/xapi/activities/state", 405, "DELETE, GET, HEAD, POST, PUT"},
		{"POST", "/xapi/about", 405, "GET, HEAD"},
		{"GET", "/xapi/nothing", 404, ""},
		{"POST", "/xapi/activities%2Fstate", 404, ""}, // the router sees no such path
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			rec := l.do(t, request{method: tt.method, target: tt.target})
			if rec.Code != tt.wantStatus || rec.Header().Get("Allow") != tt.wantAllow {
				t.Errorf("= %d, Allow %q, %s; want %d, Allow %q", rec.Code, rec.Header().Get("Allow"), rec.Body, tt.wantStatus, tt.wantAllow)
			}
			if !json.Valid(rec.Body.Bytes()) {
				t.Errorf("body is not JSON: %s", rec.Body)
			}
		})
	}
	// About needs no version header, whatever the method.
	if rec := l.do(t, request{method: "POST", target: "/xapi/about", version: "-"}); rec.Code != 405 {
		t.Errorf("POST /xapi/about without a version = %d %s, want 405", rec.Code, rec.Body)
	}
}
