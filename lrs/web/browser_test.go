package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/coursekit/coursekit/lrs/api"
	"github.com/coursekit/coursekit/lrs/progress"
	"github.com/coursekit/coursekit/pkg/browsertest"
)

// The browser test drives the dashboard in headless Chromium (Debian's
// chromium) inside a real in-process LRS on SQLite: it logs in, opens
// every page, filters, sorts, downloads the CSV, checks that none of the
// hostile statements' markup runs, and runs axe-core on every page. It
// runs when COURSEKIT_TEST_BROWSER or COURSEKIT_REQUIRE_TOOLS is set (as
// .ci/run sets them), and then fails without chromium and axe-core
// (npm ci --prefix testdata/npm); otherwise it skips. With
// COURSEKIT_SCREENSHOTS set it saves a phone and a desktop screenshot of
// every page there.

// seedJourneys registers a course in the store's progress registry and
// stores learners' journeys through it as the course player reports them,
// the hostile statements among them, then folds them into progress. It
// returns how many learners passed.
func seedJourneys(t *testing.T, h *harness, learners int) int {
	t.Helper()
	ctx := context.Background()
	mastery := 0.8
	course := progress.Course{ID: courseID, Title: "Peer Support Training", MasteryScore: &mastery,
		Lessons: []progress.Lesson{
			{ID: "introduction", ActivityID: courseID + "/lessons/introduction", Title: "Introduction", Section: "Basics"},
			{ID: "listening", ActivityID: courseID + "/lessons/listening", Title: "Active listening", Section: "Basics"},
			{ID: "risk", ActivityID: courseID + "/lessons/risk", Title: "Positive risk taking", Section: "Practice"},
		},
		Questions: []progress.Question{
			{ID: "q1", ActivityID: courseID + "/interactions/q1", LessonID: "listening", Kind: "single-choice",
				Prompt: "Which response shows active listening?", Choices: []progress.Choice{{ID: "a", Text: "Reflecting back"}, {ID: "b", Text: "Giving advice"}}},
			{ID: "r1", ActivityID: courseID + "/interactions/r1", LessonID: "risk", Kind: progress.KindReflection, Prompt: "What would you do differently?"},
		}}
	if err := h.store.Progress().PutCourse(ctx, course); err != nil {
		t.Fatal(err)
	}
	wk, ws := h.credential(t, "course package", "statements/write")
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	passed := 0
	var sts []string
	for i := range learners {
		reg := fmt.Sprintf("6f0c9d1e-0000-4000-8000-%012d", i)
		actor := fmt.Sprintf(`{"name":"Learner %02d","mbox":"mailto:learner%02d@example.org"}`, i, i)
		at := t0.Add(time.Duration(i) * time.Hour)
		n := 0
		st := func(verb, object, result string) {
			n++
			ts := at.Add(time.Duration(n) * time.Minute).Format(time.RFC3339)
			if result != "" {
				result = `,"result":` + result
			}
			sts = append(sts, `{"actor":`+actor+`,"verb":{"id":"http://adlnet.gov/expapi/verbs/`+verb+`","display":{"en-US":"`+verb+`"}},`+
				`"object":{"id":"`+object+`"},"timestamp":"`+ts+`"`+result+
				`,"context":{"registration":"`+reg+`","contextActivities":{"grouping":[{"id":"`+courseID+`"}]}}}`)
		}
		st("initialized", courseID, "")
		lessons := i%3 + 1
		for _, l := range course.Lessons[:lessons] {
			st("experienced", l.ActivityID, "")
		}
		if lessons >= 2 {
			st("answered", courseID+"/interactions/q1", map[bool]string{true: `{"success":true,"response":"a"}`, false: `{"success":false,"response":"b"}`}[i%2 == 0])
		}
		if lessons == 3 {
			st("answered", courseID+"/interactions/r1", fmt.Sprintf(`{"response":"I would ask learner %d what they want to try first."}`, i))
			if i%4 == 2 {
				st("failed", courseID, `{"score":{"scaled":0.5},"success":false}`)
			} else {
				st("passed", courseID, `{"score":{"scaled":0.9},"success":true,"completion":true}`)
				passed++
			}
			st("completed", courseID, `{"completion":true}`)
		}
		st("terminated", courseID, `{"duration":"PT`+strconv.Itoa(5+i%20)+`M"}`)
	}
	// A hostile learner who passed, with hostile texts everywhere.
	h2 := strings.ReplaceAll(strings.ReplaceAll(hostile, `\`, `\\`), `"`, `\"`)
	hostileActor := `{"name":"` + h2 + `","account":{"homePage":"https://lms.example.org","name":"` + h2 + `"}}`
	for _, verb := range []string{"experienced", "passed"} {
		object, result := course.Lessons[0].ActivityID, ""
		if verb == "passed" {
			object, result = courseID, `,"result":{"score":{"scaled":1},"success":true,"response":"`+h2+`","extensions":{"https://example.org/x":"`+h2+`"}}`
		}
		sts = append(sts, `{"actor":`+hostileActor+`,"verb":{"id":"http://adlnet.gov/expapi/verbs/`+verb+`","display":{"en-US":"`+h2+`"}},`+
			`"object":{"id":"`+object+`","definition":{"name":{"en-US":"`+h2+`"}}}`+result+`,"timestamp":"2026-03-05T10:00:00Z"}`)
	}
	passed++
	sts = append(sts, hostileStatements()...)
	h.storeStatements(t, wk, ws, sts...)
	if err := progress.NewWorker(h.store.Progress(), slog.New(slog.NewTextHandler(io.Discard, nil))).CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	return passed
}

func TestDashboardInBrowser(t *testing.T) {
	chromiumPath := browsertest.Chromium(t, browsertest.OptIn, browsertest.Axe)
	axeSource := browsertest.ReadFile(t, browsertest.Axe)
	h := newStoreHarness(t)
	passed := seedJourneys(t, h, 40)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	lrsServer := api.New(api.Config{Dashboard: h.d}, h.svc, h.creds, h.store, logger, prometheus.NewRegistry(), h.clock)
	srv := httptest.NewServer(lrsServer)
	t.Cleanup(srv.Close)
	wk, ws := h.credential(t, "another package", "statements/write")
	ids := h.storeStatements(t, wk, ws,
		`{"actor":{"name":"Ann","mbox":"mailto:ann@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed","display":{"en-US":"completed"}},"object":{"id":"https://example.org/elsewhere","definition":{"name":{"en-US":"Elsewhere"}}}}`)
	key, secret := h.credential(t, "Training manager", "all")

	ctx := browsertest.Start(t, chromiumPath, 4*time.Minute)
	var dialogs atomic.Int64
	if err := chromedp.Listen(ctx, func(ev any) {
		switch ev.(type) {
		case *page.EventJavascriptDialogOpening, page.EventJavascriptDialogOpening:
			dialogs.Add(1)
		}
	}); err != nil {
		t.Fatal(err)
	}
	shots := os.Getenv("COURSEKIT_SCREENSHOTS")
	if shots != "" {
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	run := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatal(err)
		}
	}
	waitFor := func(cond string) {
		t.Helper()
		for try := 0; ; try++ {
			_, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(20*time.Millisecond)))
			if err == nil {
				return
			}
			// A navigation ends the page the poll ran in; poll the new one.
			if try < 20 && ctx.Err() == nil && (strings.Contains(err.Error(), "navigated or closed") || strings.Contains(err.Error(), "context") || strings.Contains(err.Error(), "-32000")) {
				continue
			}
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
			t.Fatalf("waiting for %s on %s: %v\n%s", cond, loc, err, text)
		}
	}
	eval := func(expr string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("evaluate %.80s: %v", expr, err)
		}
		return v
	}
	// check runs on every page: nothing ran, axe finds nothing, and the
	// screenshots are taken at both widths.
	check := func(name string) {
		t.Helper()
		waitFor(`document.readyState === "complete"`)
		if got := eval(`typeof window.__pwned`); got != "undefined" {
			t.Errorf("%s: window.__pwned is %s: hostile markup ran", name, got)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axeSource+"\n;true")); err != nil {
			t.Fatalf("%s: load axe-core: %v", name, err)
		}
		for _, width := range []struct {
			name string
			w, h int64
			opts []chromedp.EmulateViewportOption
		}{{"desktop", 1280, 900, nil}, {"phone", 390, 844, []chromedp.EmulateViewportOption{chromedp.EmulateMobile}}} {
			run(chromedp.EmulateViewport(width.w, width.h, width.opts...))
			violations := eval(`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v =>
				v.id + " (" + v.impact + "): " + v.help + " at " + v.nodes.map(n => n.target.join(" ")).join(", ")).join("\n"))`)
			if violations != "" {
				t.Errorf("axe on %s (%s):\n%s", name, width.name, violations)
			}
			if shots != "" {
				png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(shots, "dashboard-"+name+"-"+width.name+".png"), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		run(chromedp.EmulateViewport(1280, 900))
	}
	open := func(name, path string) {
		t.Helper()
		run(chromedp.Navigate(srv.URL + path))
		check(name)
	}

	// Logging in: a page asked for first sends the browser to the login
	// form, and back to the page after it.
	e := url.QueryEscape
	run(chromedp.Navigate(srv.URL + "/questions?course=" + e(courseID)))
	waitFor(`location.pathname === "/login"`)
	check("login")
	run(chromedp.SendKeys(chromedp.CSS("#key"), key), chromedp.SendKeys(chromedp.CSS("#secret"), secret),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button`)))
	waitFor(`location.pathname === "/questions" && document.querySelector("h1").textContent === "Questions"`)
	check("questions")

	// The skip link is the first stop of the keyboard.
	run(chromedp.KeyEvent("\t"))
	if got := eval(`document.activeElement.className + ":" + document.activeElement.getAttribute("href")`); got != "skip:#main" {
		t.Errorf("the first Tab focuses %q, want the skip link", got)
	}

	open("courses", "/")
	open("course", "/course?id="+e(courseID))
	open("learners", "/learners?course="+e(courseID))

	// Filter by status with the form, then sort by score with the header.
	run(chromedp.SetValue(chromedp.CSS("#status"), "passed"), chromedp.Click(chromedp.CSS(`form.filters button`)))
	waitFor(`location.search.includes("status=passed")`)
	if got := eval(`document.querySelector("#count").textContent`); !strings.HasPrefix(got, strconv.Itoa(passed)+" learners") {
		t.Errorf("filtered by passed: %q, want %d learners", got, passed)
	}
	run(chromedp.Click(chromedp.CSS(`th:nth-child(4) a`)))
	waitFor(`location.search.includes("sort=score")`)
	if got := eval(`document.querySelector("th[aria-sort]").textContent.trim() + " " + document.querySelector("th[aria-sort]").getAttribute("aria-sort")`); !strings.HasPrefix(got, "Best score") || !strings.HasSuffix(got, "ascending") {
		t.Errorf("after sorting by score the sorted column is %q", got)
	}
	check("learners-filtered")

	// Download the CSV the page links to.
	dir := t.TempDir()
	progressEvents := chromedp.BrowserEvents(ctx, browser.DownloadProgress)
	run(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: new(true)})
		return err
	}), chromedp.Click(chromedp.CSS(`a[download]`)))
	var csvFile string
	for ev, err := range progressEvents {
		if err != nil {
			t.Fatal(err)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			csvFile = filepath.Join(dir, ev.GUID)
			break
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			t.Fatal("the CSV download was cancelled")
		}
	}
	raw, err := os.ReadFile(csvFile)
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(strings.NewReader(string(raw))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != passed+1 || records[0][0] != "learner" {
		t.Errorf("the CSV has %d records (header %v), want a header and the %d passed learners", len(records), records[0], passed)
	}

	open("learner", "/learner?id="+e("mbox:mailto:learner02@example.org")+"&course="+e(courseID))
	open("learner-hostile", "/learner?id="+e("account:https://lms.example.org|"+hostile)+"&course="+e(courseID))
	open("responses", "/responses?course="+e(courseID))
	open("statements", "/statements")
	run(chromedp.SetValue(chromedp.CSS("#agent"), "mailto:ann@example.org"), chromedp.Click(chromedp.CSS(`form.filters button`)))
	waitFor(`location.search.includes("agent=")`)
	if n := eval(`String(document.querySelectorAll("tbody tr").length)`); n != "1" {
		t.Errorf("statements of ann@example.org: %s rows, want 1", n)
	}
	check("statements-filtered")
	open("statement", "/statement?id="+ids[0])
	open("credentials", "/credentials")
	run(chromedp.SendKeys(chromedp.CSS("#name"), "Moodle"), chromedp.Click(chromedp.CSS(`input[value="statements/write"]`)),
		chromedp.Click(chromedp.CSS(`form[action="/credentials"] button`)))
	waitFor(`document.querySelector(".created") !== null`)
	check("credential-created")
	open("not-found", "/no-such-page")

	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d dialogs opened", n)
	}
}
