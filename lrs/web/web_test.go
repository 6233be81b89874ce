package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs/progress"
	"github.com/coursekit/coursekit/lrs/web"
)

const courseID = "https://example.org/courses/peer-support"

func TestLogin(t *testing.T) {
	h := newHarness(t, fixture("", 3))
	readKey, readSecret := h.credential(t, "manager", "statements/read")
	writeKey, writeSecret := h.credential(t, "package", "statements/write")
	goneKey, goneSecret := h.credential(t, "former", "all")
	if err := h.creds.Revoke(context.Background(), goneKey); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, key, secret string
		csrf              func(c *client) string
		next              string
		want              int
		location          string
	}{
		{name: "reader", key: readKey, secret: readSecret, want: http.StatusSeeOther, location: "/"},
		{name: "back to the page asked for", key: readKey, secret: readSecret, next: "/learners?course=x", want: http.StatusSeeOther, location: "/learners?course=x"},
		{name: "never to another site", key: readKey, secret: readSecret, next: "//evil.example/", want: http.StatusSeeOther, location: "/"},
		{name: "wrong secret", key: readKey, secret: "nope", want: http.StatusUnauthorized},
		{name: "unknown key", key: "nope", secret: readSecret, want: http.StatusUnauthorized},
		{name: "no read scope", key: writeKey, secret: writeSecret, want: http.StatusUnauthorized},
		{name: "revoked", key: goneKey, secret: goneSecret, want: http.StatusUnauthorized},
		{name: "no form token", key: readKey, secret: readSecret, csrf: func(*client) string { return "" }, want: http.StatusForbidden},
		{name: "another browser's form token", key: readKey, secret: readSecret, csrf: func(*client) string {
			return h.client(t).csrf("/login")
		}, want: http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := h.client(t)
			token := c.csrf("/login")
			if tc.csrf != nil {
				token = tc.csrf(c)
			}
			rec := c.post("/login", url.Values{"csrf": {token}, "key": {tc.key}, "secret": {tc.secret}, "next": {tc.next}})
			if rec.Code != tc.want {
				t.Fatalf("POST /login = %d, want %d: %s", rec.Code, tc.want, rec.Body.String())
			}
			_, session := c.cookies["coursekit_session"]
			if session != (tc.want == http.StatusSeeOther) {
				t.Errorf("session cookie set = %v after %d", session, rec.Code)
			}
			if tc.location != "" && rec.Header().Get("Location") != tc.location {
				t.Errorf("Location = %q, want %q", rec.Header().Get("Location"), tc.location)
			}
			if tc.want == http.StatusUnauthorized && !strings.Contains(rec.Body.String(), "do not match a credential that may read") {
				t.Errorf("a failed login does not say why: %s", rec.Body.String())
			}
		})
	}
}

func TestSessionCookie(t *testing.T) {
	h := newHarness(t, fixture("", 3))
	key, secret := h.credential(t, "manager", "statements/read")
	for _, overTLS := range []bool{false, true} {
		c := h.client(t)
		c.tls = overTLS
		if rec := c.login(key, secret); rec.Code != http.StatusSeeOther {
			t.Fatalf("login: %d", rec.Code)
		}
		ck := c.cookies["coursekit_session"]
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure != overTLS || ck.Path != "/" || ck.MaxAge != int(web.DefaultSessionTTL/time.Second) {
			t.Errorf("over TLS %v: session cookie %+v, want HttpOnly, SameSite=Lax, Secure only over TLS, Path /, 8 h", overTLS, ck)
		}
	}

	c := h.client(t)
	c.login(key, secret)
	if rec := c.get("/"); rec.Code != http.StatusOK {
		t.Fatalf("GET / after login = %d", rec.Code)
	}
	good := c.cookies["coursekit_session"].Value
	enc, mac, _ := strings.Cut(good, ".")
	for _, tc := range []struct{ name, value string }{
		{"no cookie", ""},
		{"forged signature", enc + "." + strings.Repeat("A", len(mac))},
		{"another payload", strings.ToUpper(enc[:4]) + enc[4:] + "." + mac},
		{"garbage", "x"},
	} {
		c.cookies["coursekit_session"].Value = tc.value
		rec := c.get("/learners?course=x")
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login?next=%2Flearners%3Fcourse%3Dx" {
			t.Errorf("%s: GET = %d to %q, want 303 to the login page", tc.name, rec.Code, rec.Header().Get("Location"))
		}
	}
	c.cookies["coursekit_session"].Value = good

	h.advance(web.DefaultSessionTTL + time.Second)
	if rec := c.get("/"); rec.Code != http.StatusSeeOther {
		t.Errorf("GET / after the session's lifetime = %d, want 303 to the login page", rec.Code)
	}

	c = h.client(t)
	c.login(key, secret)
	if err := h.creds.Revoke(context.Background(), key); err != nil {
		t.Fatal(err)
	}
	if rec := c.get("/"); rec.Code != http.StatusSeeOther {
		t.Errorf("GET / after the credential was revoked = %d, want 303 to the login page", rec.Code)
	}
}

func TestLogoutAndCSRF(t *testing.T) {
	h := newHarness(t, fixture("", 3))
	c, _ := h.loggedIn(t, "all")
	other, _ := h.loggedIn(t, "all")
	token := c.csrf("/")
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		{"/logout", url.Values{}},
		{"/logout", url.Values{"csrf": {other.csrf("/")}}},
		{"/credentials", url.Values{"name": {"x"}, "scope": {"all"}}},
		{"/credentials", url.Values{"name": {"x"}, "scope": {"all"}, "csrf": {token + "x"}}},
		{"/credentials/revoke", url.Values{"key": {"k"}}},
	} {
		if rec := c.post(tc.path, tc.form); rec.Code != http.StatusForbidden {
			t.Errorf("POST %s with %v = %d, want 403", tc.path, tc.form, rec.Code)
		}
	}
	list, _ := h.creds.List(context.Background())
	if len(list) != 2 {
		t.Errorf("%d credentials after refused posts, want 2", len(list))
	}
	if rec := c.post("/logout", url.Values{"csrf": {token}}); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login" {
		t.Fatalf("POST /logout = %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	if _, ok := c.cookies["coursekit_session"]; ok {
		t.Error("the session cookie outlived the logout")
	}
	if rec := c.get("/"); rec.Code != http.StatusSeeOther {
		t.Errorf("GET / after logout = %d, want 303", rec.Code)
	}
	// A form posted from another site is refused, whatever its token.
	c2, _ := h.loggedIn(t, "all")
	c2.header = http.Header{"Sec-Fetch-Site": {"cross-site"}}
	if rec := c2.post("/logout", url.Values{"csrf": {c2.csrf("/")}}); rec.Code != http.StatusForbidden {
		t.Errorf("POST /logout from another site = %d, want 403", rec.Code)
	}
}

// TestPages opens every page and checks what it shows.
func TestPages(t *testing.T) {
	h := newHarness(t, fixture("", 120))
	c, _ := h.loggedIn(t, "all")
	wk, ws := h.credential(t, "package", "statements/write")
	ids := h.storeStatements(t, wk, ws, `{"actor":{"name":"Ann","mbox":"mailto:ann@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/answered","display":{"en-US":"answered"}},`+
		`"object":{"id":"`+courseID+`/interactions/q1","definition":{"name":{"en-US":"Question one"}}},"result":{"success":true,"response":"b"}}`)
	for _, tc := range []struct {
		url    string
		status int
		want   []string
	}{
		{"/", 200, []string{"Peer Support", "<td class=\"num\">120</td>", "50%", "85%", "42 min", `href="/course?id=https%3A%2F%2Fexample.org%2Fcourses%2Fpeer-support"`}},
		{"/course?id=" + url.QueryEscape(courseID), 200, []string{"Where learners stop", `role="img"`, "<title id=\"funnel-title\">", "lesson 2, Listening", "90–100%: 55", "<th scope=\"row\">Risk</th>"}},
		{"/learners?course=" + url.QueryEscape(courseID), 200, []string{"120 learners, 1–50 shown", "Learner 00000", "Page 1 of 3", `aria-sort="ascending"`, "Download CSV", `rel="next"`}},
		{"/learners?course=" + url.QueryEscape(courseID) + "&status=passed&q=0001", 200, []string{"3 learners", "Learner 00010", "Learner 00018"}},
		{"/learners?course=" + url.QueryEscape(courseID) + "&sort=-last", 200, []string{`aria-sort="descending"`, "Learner 00119"}},
		{"/learners?course=" + url.QueryEscape(courseID) + "&page=3", 200, []string{"101–120 shown", "Learner 00119", `rel="prev"`}},
		{"/learner?id=" + url.QueryEscape("mbox:mailto:learner00000@example.org"), 200, []string{"Learner 00000", "Timeline", "yes, first 2026-03-02 09:00 UTC", "not yet", "my answer", "(1 min)"}},
		{"/questions?course=" + url.QueryEscape(courseID), 200, []string{"Which is safe?", "60%", "× 3"}},
		{"/responses?course=" + url.QueryEscape(courseID), 200, []string{"What did you learn?", "I learned", "Writer"}},
		{"/statements", 200, []string{">Ann</a>", ">answered</a>", ">Question one</a>", "success, “b”", `href="/statement?id=` + ids[0] + `"`}},
		{"/statements?agent=mailto:ann@example.org&verb=http://adlnet.gov/expapi/verbs/answered", 200, []string{ids[0]}},
		{"/statements?agent=" + url.QueryEscape(`{"mbox":"mailto:ann@example.org"}`), 200, []string{ids[0]}},
		{"/statements?agent=mailto:bob@example.org", 200, []string{"No statement matches"}},
		{"/statements?activity=" + url.QueryEscape(courseID), 200, []string{"No statement matches"}},
		{"/statement?id=" + ids[0], 200, []string{"&#34;mbox&#34;: &#34;mailto:ann@example.org&#34;", "  &#34;verb&#34;: {"}},
		{"/credentials", 200, []string{"Create a credential", "manager (you)"}},
		{"/course?id=https%3A%2F%2Fnowhere", 404, []string{"knows no course"}},
		{"/learners", 400, []string{"choose a course"}},
		{"/learners?course=" + url.QueryEscape(courseID) + "&sort=secret", 400, []string{"sort must name a column"}},
		{"/statements?agent=nobody", 400, []string{"Agent must be JSON"}},
		{"/statements?since=yesterday", 400, []string{"Since must be a date"}},
		{"/statement?id=not-a-uuid", 400, []string{"UUID"}},
		{"/statement?id=6f7c6b1c-0000-4000-8000-000000000000", 404, []string{"Not found"}},
		{"/nothing-here", 404, []string{"There is no such page"}},
	} {
		rec := c.get(tc.url)
		if rec.Code != tc.status {
			t.Errorf("GET %s = %d, want %d: %.300s", tc.url, rec.Code, tc.status, rec.Body.String())
			continue
		}
		body := rec.Body.String()
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s does not show %q", tc.url, w)
			}
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	h := newHarness(t, fixture("", 3))
	c, _ := h.loggedIn(t, "all")
	for _, path := range []string{"/login", "/", "/credentials", "/learners.csv?course=" + url.QueryEscape(courseID), "/nothing"} {
		rec := c.get(path)
		hd := rec.Header()
		if csp := hd.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "script-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("GET %s: CSP %q", path, csp)
		}
		if hd.Get("X-Frame-Options") != "DENY" || hd.Get("X-Content-Type-Options") != "nosniff" || hd.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: X-Frame-Options %q, nosniff %q, Cache-Control %q", path, hd.Get("X-Frame-Options"), hd.Get("X-Content-Type-Options"), hd.Get("Cache-Control"))
		}
	}
}

// TestReadMine checks that a credential with only statements/read/mine
// sees only what it stored: every report asks the reader for its
// authority's records, and the statement browser lists only its
// statements.
func TestReadMine(t *testing.T) {
	h := newHarness(t, fixture("", 3))
	mineKey, mineSecret := h.credential(t, "learner app", "statements/read/mine", "statements/write")
	otherKey, otherSecret := h.credential(t, "other app", "statements/write")
	st := func(actor, verb string) string {
		return `{"actor":{"mbox":"mailto:` + actor + `"},"verb":{"id":"http://adlnet.gov/expapi/verbs/` + verb + `"},"object":{"id":"` + courseID + `"}}`
	}
	mineIDs := h.storeStatements(t, mineKey, mineSecret, st("own@example.org", "experienced"))
	otherIDs := h.storeStatements(t, otherKey, otherSecret, st("other@example.org", "completed"))

	c := h.client(t)
	if rec := c.login(mineKey, mineSecret); rec.Code != http.StatusSeeOther {
		t.Fatalf("login with read/mine: %d", rec.Code)
	}
	authority := h.authority(t, mineKey)
	h.reader.filtersSeen()
	for _, p := range []string{"/", "/course?id=" + url.QueryEscape(courseID), "/learners?course=" + url.QueryEscape(courseID),
		"/learner?id=x", "/questions?course=" + url.QueryEscape(courseID), "/responses?course=" + url.QueryEscape(courseID),
		"/learners.csv?course=" + url.QueryEscape(courseID)} {
		if rec := c.get(p); rec.Code != http.StatusOK {
			t.Errorf("GET %s = %d", p, rec.Code)
		}
	}
	seen := h.reader.filtersSeen()
	if len(seen) < 7 {
		t.Fatalf("the reader was asked %d times, want every page", len(seen))
	}
	for _, f := range seen {
		if f.Authority != authority {
			t.Errorf("reader filter %+v, want Authority %q", f, authority)
		}
	}
	body := c.get("/statements").Body.String()
	if !strings.Contains(body, mineIDs[0]) || strings.Contains(body, otherIDs[0]) || strings.Contains(body, "other@example.org") {
		t.Errorf("read/mine statement browser shows other credentials' statements or not its own:\n%s", body)
	}
	if rec := c.get("/statement?id=" + otherIDs[0]); rec.Code != http.StatusNotFound {
		t.Errorf("read/mine GET another credential's statement = %d, want 404", rec.Code)
	}
	if rec := c.get("/statement?id=" + mineIDs[0]); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "own@example.org") {
		t.Errorf("read/mine GET its own statement = %d", rec.Code)
	}
	if rec := c.get("/credentials"); rec.Code != http.StatusForbidden {
		t.Errorf("read/mine GET /credentials = %d, want 403", rec.Code)
	}

	reader, _ := h.loggedIn(t, "statements/read")
	h.reader.filtersSeen()
	reader.get("/")
	for _, f := range h.reader.filtersSeen() {
		if f.Authority != "" {
			t.Errorf("statements/read reader filter has Authority %q, want none", f.Authority)
		}
	}
	body = reader.get("/statements").Body.String()
	if !strings.Contains(body, mineIDs[0]) || !strings.Contains(body, otherIDs[0]) {
		t.Error("statements/read does not see every statement")
	}
}

func TestCredentialsPage(t *testing.T) {
	h := newHarness(t, fixture("", 3))
	for _, scope := range []string{"statements/read", "all/read", "statements/read/mine"} {
		c, _ := h.loggedIn(t, scope)
		token := c.csrf("/")
		if rec := c.get("/credentials"); rec.Code != http.StatusForbidden {
			t.Errorf("%s: GET /credentials = %d, want 403", scope, rec.Code)
		}
		if rec := c.post("/credentials", url.Values{"csrf": {token}, "name": {"x"}, "scope": {"all"}}); rec.Code != http.StatusForbidden {
			t.Errorf("%s: POST /credentials = %d, want 403", scope, rec.Code)
		}
		if strings.Contains(c.get("/").Body.String(), `href="/credentials"`) {
			t.Errorf("%s: the navigation links to the credentials page", scope)
		}
	}

	admin, _ := h.loggedIn(t, "all")
	token := admin.csrf("/credentials")
	rec := admin.post("/credentials", url.Values{"csrf": {token}, "name": {"Moodle"}, "scope": {"statements/write", "statements/read"}})
	if rec.Code != http.StatusOK {
		t.Fatalf("create: %d %s", rec.Code, rec.Body.String())
	}
	body := rec.Body.String()
	i := strings.Index(body, "Basic auth (key:secret)</dt><dd><code>")
	if i < 0 {
		t.Fatalf("the created credential's secret is not shown: %s", body)
	}
	pair := body[i+len("Basic auth (key:secret)</dt><dd><code>"):]
	pair = pair[:strings.Index(pair, "</code>")]
	key, secret, _ := strings.Cut(pair, ":")
	cred, err := h.creds.Authenticate(context.Background(), key, secret)
	if err != nil || cred.Name != "Moodle" || strings.Join(cred.Scopes, ",") != "statements/write,statements/read" {
		t.Fatalf("the shown credential authenticates as %+v, %v", cred, err)
	}
	if strings.Contains(admin.get("/credentials").Body.String(), secret) {
		t.Error("the secret is shown again")
	}
	for _, form := range []url.Values{{"name": {"x"}}, {"scope": {"all"}}, {"name": {"x"}, "scope": {"root"}}} {
		form.Set("csrf", token)
		if rec := admin.post("/credentials", form); rec.Code != http.StatusBadRequest {
			t.Errorf("create with %v = %d, want 400", form, rec.Code)
		}
	}

	rec = admin.post("/credentials/revoke", url.Values{"csrf": {token}, "key": {key}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("revoke: %d %s", rec.Code, rec.Body.String())
	}
	if _, err := h.creds.Authenticate(context.Background(), key, secret); err == nil {
		t.Error("the revoked credential still authenticates")
	}
	if !strings.Contains(admin.get(rec.Header().Get("Location")).Body.String(), "revoked ") {
		t.Error("the list does not show the credential revoked")
	}
	if rec := admin.post("/credentials/revoke", url.Values{"csrf": {token}, "key": {"no-such"}}); rec.Code != http.StatusNotFound {
		t.Errorf("revoke unknown = %d, want 404", rec.Code)
	}
}

func TestLearnersCSV(t *testing.T) {
	f := fixture("", 0)
	half := 0.5
	f.learners[courseID] = []progress.LearnerRow{
		{Learner: "mbox:mailto:a@example.org", Name: "=HYPERLINK(\"http://evil.example\",\"x\")", Status: progress.Passed, Progress: 1, Score: &half, TimeSpent: 90 * time.Second},
		{Learner: "account:https://lms.example.org|+1", Name: "-2+3", Status: progress.InProgress},
		{Learner: "openid:https://id.example.org/b", Name: "@SUM(A1)", Status: progress.Failed},
		{Learner: "mbox:mailto:c@example.org", Name: "\t=1", Status: progress.Completed},
		{Learner: "mbox:mailto:d@example.org", Name: "Ann O'Neil, \"Annie\"", Status: progress.Completed},
	}
	h := newHarness(t, f)
	c, _ := h.loggedIn(t, "statements/read")
	rec := c.get("/learners.csv?course=" + url.QueryEscape(courseID) + "&sort=name")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.Contains(rec.Header().Get("Content-Disposition"), "attachment") {
		t.Fatalf("GET CSV = %d %v", rec.Code, rec.Header())
	}
	records, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 6 || strings.Join(records[0], ",") != "learner,name,status,progress,score,latest_score,attempts,registrations,time_spent_seconds,first_seen,last_seen" {
		t.Fatalf("CSV has %d records, header %v", len(records), records[0])
	}
	want := map[string]string{
		"mbox:mailto:a@example.org":          "'=HYPERLINK(\"http://evil.example\",\"x\")",
		"account:https://lms.example.org|+1": "'-2+3",
		"openid:https://id.example.org/b":    "'@SUM(A1)",
		"mbox:mailto:c@example.org":          "'\t=1",
		"mbox:mailto:d@example.org":          "Ann O'Neil, \"Annie\"",
	}
	for _, r := range records[1:] {
		if r[1] != want[r[0]] {
			t.Errorf("name cell of %s = %q, want %q", r[0], r[1], want[r[0]])
		}
		for i, cell := range r {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("cell %d of %s starts a formula: %q", i, r[0], cell)
			}
		}
	}
	if r := records[1]; r[0] != "mbox:mailto:a@example.org" || r[3] != "1" || r[4] != "0.5" || r[8] != "90" {
		t.Errorf("first row %v", r)
	}
}

// TestLearnersCSVPagesThrough checks that the download holds every
// matching learner, not one page.
func TestLearnersCSVPagesThrough(t *testing.T) {
	h := newHarness(t, fixture("", 2500))
	c, _ := h.loggedIn(t, "statements/read")
	records, err := csv.NewReader(c.get("/learners.csv?course=" + url.QueryEscape(courseID)).Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 2501 {
		t.Errorf("CSV has %d records, want a header and 2500 learners", len(records))
	}
	records, _ = csv.NewReader(c.get("/learners.csv?course=" + url.QueryEscape(courseID) + "&status=passed").Body).ReadAll()
	if len(records) != 626 {
		t.Errorf("CSV of passed learners has %d records, want 1 + 625", len(records))
	}
}

func TestSortLinks(t *testing.T) {
	h := newHarness(t, fixture("", 3))
	c, _ := h.loggedIn(t, "statements/read")
	base := "/learners?course=" + url.QueryEscape(courseID) + "&status=passed"
	for _, tc := range []struct {
		sort     string
		sorted   string // the column marked
		ariaSort string
		toggle   string // its header's link's sort
	}{
		{"", "Learner", "ascending", "-name"},
		{"score", "Best score", "ascending", "-score"},
		{"-score", "Best score", "descending", "score"},
	} {
		body := c.get(base + "&sort=" + tc.sort).Body.String()
		want := `<th scope="col" aria-sort="` + tc.ariaSort + `"><a href="/learners?course=` + url.QueryEscape(courseID) + `&amp;sort=` + url.QueryEscape(tc.toggle) + `&amp;status=passed">` + tc.sorted
		if !strings.Contains(body, want) {
			t.Errorf("sort %q: no %s", tc.sort, want)
		}
		if n := strings.Count(body, "aria-sort="); n != 1 {
			t.Errorf("sort %q: %d columns have aria-sort, want 1", tc.sort, n)
		}
	}
}
