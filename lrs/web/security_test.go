package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/coursekit/coursekit/lrs/progress"
)

// hostile is attacker-controlled text as statements may carry it: markup,
// quotes that would close an attribute, and a javascript: URL.
const hostile = `<script>window.__pwned=1</script>"'><img src=x onerror="window.__pwned=1">javascript:window.__pwned=1`

// hostileStatements are statements whose every free text is hostile:
// names, displays, responses, extensions.
func hostileStatements() []string {
	q := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) }
	h := q(hostile)
	return []string{
		`{"actor":{"name":"` + h + `","account":{"homePage":"https://lms.example.org","name":"` + h + `"}},` +
			`"verb":{"id":"http://adlnet.gov/expapi/verbs/answered","display":{"en-US":"` + h + `"}},` +
			`"object":{"id":"` + courseID + `/interactions/r1","definition":{"name":{"en-US":"` + h + `"},"description":{"en-US":"` + h + `"},` +
			`"extensions":{"https://example.org/ext":"` + h + `"}}},` +
			`"result":{"response":"` + h + `","extensions":{"https://example.org/ext":{"html":"` + h + `"}}},` +
			`"context":{"extensions":{"https://example.org/ctx":"` + h + `"}}}`,
		`{"actor":{"mbox":"mailto:x@example.org","name":"` + h + `"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},` +
			`"object":{"id":"javascript:window.__pwned=1"}}`,
	}
}

// hostileReader is the fixture with hostile text everywhere the reports
// show text, and learners whose ids are hostile too.
func hostileReader() *fakeReader {
	f := fixture(hostile, 4)
	f.learners[courseID] = append(f.learners[courseID], progress.LearnerRow{Learner: "account:javascript:window.__pwned=1|" + hostile,
		Name: hostile, Status: progress.InProgress})
	return f
}

// TestNothingExecutes renders every page with hostile statements and
// report rows and parses the HTML as a browser would: no script element,
// no event handler attribute, no link that leaves the dashboard or runs
// code, and the hostile text shown as text.
func TestNothingExecutes(t *testing.T) {
	h := newHarness(t, hostileReader())
	wk, ws := h.credential(t, hostile, "statements/write")
	ids := h.storeStatements(t, wk, ws, hostileStatements()...)
	c, _ := h.loggedIn(t, "all")
	if rec := c.post("/credentials", url.Values{"csrf": {c.csrf("/")}, "name": {hostile}, "scope": {"statements/read"}}); rec.Code != http.StatusOK {
		t.Fatalf("create a credential named hostile: %d", rec.Code)
	}
	e := url.QueryEscape
	pages := []string{
		"/", "/?group=" + e(hostile),
		"/course?id=" + e(courseID) + "&group=" + e(hostile),
		"/learners?course=" + e(courseID), "/learners?course=" + e(courseID) + "&q=" + e(hostile) + "&sort=-name",
		"/learner?id=" + e("mbox:mailto:learner00000@example.org") + "&course=" + e(courseID),
		"/learner?id=" + e(hostile),
		"/questions?course=" + e(courseID), "/responses?course=" + e(courseID),
		"/statements", "/statements?agent=" + e(hostile), "/statements?agent=" + e(`{"mbox":"`+hostile+`"}`),
		"/statements?activity=" + e("javascript:window.__pwned=1"),
		"/statement?id=" + ids[0], "/statement?id=" + ids[1],
		"/credentials",
		"/course?id=" + e(hostile), "/nothing/" + e(hostile),
	}
	shown := 0
	for _, p := range pages {
		rec := c.get(p)
		if rec.Code >= 500 {
			t.Errorf("GET %s = %d", p, rec.Code)
		}
		shown += assertInert(t, p, rec.Body.String())
	}
	// The login page echoes the key typed and the page asked for.
	anon := h.client(t)
	rec := anon.post("/login", url.Values{"csrf": {anon.csrf("/login?next=" + e("/"+hostile))}, "key": {hostile}, "secret": {"x"}, "next": {"/" + hostile}})
	shown += assertInert(t, "failed login", rec.Body.String())
	if shown < 10 {
		t.Errorf("the hostile text shows as text %d times; the pages do not render what the test fed them", shown)
	}
	// The learner rows' hostile ids end up in links, encoded.
	body := c.get("/learners?course=" + e(courseID)).Body.String()
	if !strings.Contains(body, `href="/learner?course=`) || strings.Contains(body, `href="javascript`) {
		t.Error("a learner link is not a dashboard link")
	}
}

// assertInert fails on anything in the page that could run, and returns
// how often the hostile text appears as text.
func assertInert(t *testing.T, page, body string) int {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", page, err)
	}
	shown := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode && strings.Contains(n.Data, hostile) {
			shown++
		}
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "img", "iframe", "object", "embed", "base", "meta", "link", "style":
				if !(n.Data == "meta" || n.Data == "link" && attr(n, "rel") == "stylesheet" && strings.HasPrefix(attr(n, "href"), "/static/")) {
					t.Errorf("%s: a <%s> element: %s", page, n.Data, render(n))
				}
			}
			for _, a := range n.Attr {
				k := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(k, "on"), k == "style", k == "srcdoc":
					t.Errorf("%s: attribute %s=%q on <%s>", page, a.Key, a.Val, n.Data)
				case k == "href" || k == "src" || k == "action" || k == "formaction" || k == "xlink:href":
					if a.Val != "#main" && (!strings.HasPrefix(a.Val, "/") || strings.HasPrefix(a.Val, "//")) {
						t.Errorf("%s: %s=%q leaves the dashboard", page, a.Key, a.Val)
					}
				}
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(doc)
	return shown
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func render(n *html.Node) string {
	var b strings.Builder
	_ = html.Render(&b, n)
	return b.String()
}
