package packager_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/coursekit/coursekit/packager"
	"github.com/coursekit/coursekit/packager/cmi5"
)

// TestCMI5InBrowser launches the cmi5 packages of Peer Support Training
// through coursekit serve's own launcher (POST /cmi5/launch, the one-time
// fetch URL, the session token) and checks, in the LRS, every statement by
// cmi5's rules: a whole-course AU in Normal mode, reloaded mid-course
// (which ends the session), continued in a second session of the same
// registration to the end; the first launch URL used again; and one
// lesson's AU in Browse mode.
func TestCMI5InBrowser(t *testing.T) {
	c := mustLoad(t, peerSupport)
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
	l := newTestLRS(t)
	l.launcher = true
	l.start(t, srv.URL)
	ctx := newBrowser(t)

	learner := map[string]any{"homePage": srv.URL, "name": "learner-1", "displayName": "Jane Doe"}
	publisher := cmi5.AUID(c, "")
	auURL := srv.URL + "/pkg/course/index.html"
	returnURL := srv.URL + "/returned.html"
	first := l.launchAU(t, map[string]any{"learner": learner, "au": publisher, "url": auURL, "course": c.ID,
		"masteryScore": 0.9, "moveOn": "CompletedAndPassed", "returnURL": returnURL})
	l.putPreferences(t, first.Actor, `{"languagePreference":"en-GB,fr-FR","audioPreference":"off"}`)
	reg, au := first.Registration, first.ActivityID

	// The LMS's mastery score, 0.9, replaces the course's 0.8.
	w := newWalker(c, au, 90)
	const before = 4 // lessons walked before the reload
	var want []step
	var second launched

	t.Run("course AU, reloaded mid-course", func(t *testing.T) {
		launch(t, ctx, srv, "cmi5", "cmi5", url.QueryEscape(first.URL))
		st := evalJS[map[string]any](t, ctx, `drive.state()`)
		if st["connected"] != true || st["launchMode"] != "Normal" || st["muted"] != true {
			t.Errorf("state = connected %v, launchMode %v, muted %v; want true, Normal, true (audioPreference off)", st["connected"], st["launchMode"], st["muted"])
		}
		if got := evalJS[string](t, ctx, `drive.status()`); !strings.Contains(got, "Jane Doe") {
			t.Errorf("status %q does not name the learner", got)
		}
		want = append([]step{{"launched", au}, {"initialized", au}}, w.view(c.Lessons[0])...)
		want = append(want, w.walkLessons(c.Lessons[:before], c.Lessons[0].ID)...)
		walkAllLessons(t, ctx, c.Lessons[:before])
		waitFor(t, ctx, `drive.state().pending === 0`)

		// The page goes (pagehide): the player ends its session. Reloaded,
		// it knows the session has ended and asks for no token.
		if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		waitFor(t, ctx, `(() => { try { return drive.ready(); } catch (e) { return false; } })()`)
		if got := evalJS[string](t, ctx, `drive.status()`); !strings.Contains(got, "This session has ended") {
			t.Errorf("after a reload the status is %q, want that the session has ended", got)
		}
		want = append(want, step{"terminated", au})
		got := l.waitForStatements(t, reg, len(want))
		diffSteps(t, want, steps(got))
		if n := l.fetches(t); n != 1 {
			t.Errorf("the fetch URL was POSTed %d times, want once", n)
		}
	})

	t.Run("next session of the registration", func(t *testing.T) {
		// The LMS launches the AU again, by its id alone, in the same
		// registration: the player resumes from its State document.
		second = l.launchAU(t, map[string]any{"learner": learner, "au": publisher, "registration": reg, "returnURL": returnURL})
		if second.ActivityID != au || second.Registration != reg || second.SessionID == first.SessionID {
			t.Fatalf("second launch %+v, want the same activity and registration and a new session", second)
		}
		launch(t, ctx, srv, "cmi5", "cmi5", url.QueryEscape(second.URL))
		bookmark := c.Lessons[before-1]
		if got := evalJS[string](t, ctx, `drive.lesson()`); got != bookmark.ID {
			t.Errorf("the next session opened %q, want the bookmark %q", got, bookmark.ID)
		}
		want = append(want, step{"launched", au}, step{"initialized", au})
		want = append(want, w.view(bookmark)...)
		want = append(want, w.walkLessons(c.Lessons[before:], bookmark.ID)...)
		walkAllLessons(t, ctx, c.Lessons[before:])
		evalJS[bool](t, ctx, `drive.click('#ck-exit')`)
		waitFor(t, ctx, `document.getElementById('sco').contentWindow.location.pathname === '/returned.html'`)
		want = append(want, step{"terminated", au})

		got := l.waitForStatements(t, reg, len(want))
		diffSteps(t, want, steps(got))
		if t.Failed() {
			return
		}
		if n := l.fetches(t); n != 2 {
			t.Errorf("fetch URLs were POSTed %d times, want once per launch (2)", n)
		}
		ss := sessions(got)
		if len(ss) != 2 {
			t.Fatalf("%d sessions, want 2", len(ss))
		}
		for i, ln := range []launched{first, second} {
			checkLaunched(t, ss[i][0], ln, publisher, "Normal", auURL, "CompletedAndPassed", 0.9)
			checkCMI5Statements(t, ss[i][1:], reg, ln.SessionID, publisher, au)
		}
		byVerb := map[string][]statement{}
		for _, s := range ss[1] {
			byVerb[s.verb()] = append(byVerb[s.verb()], s)
		}
		passed, completed, terminated := byVerb["passed"][0], byVerb["completed"][0], byVerb["terminated"][0]
		if passed.Context.Extensions[masteryExt] != 0.9 || passed.Result.Score == nil || passed.Result.Score.Scaled != 0.9333 || passed.Result.Score.Raw != nil {
			t.Errorf("passed: masteryscore %v, score %+v; want 0.9 and scaled 0.9333 alone (14 of 15, not an integer raw)", passed.Context.Extensions[masteryExt], passed.Result.Score)
		}
		if completed.Result.Score != nil || completed.Result.Success != nil || completed.Result.Completion == nil || !*completed.Result.Completion {
			t.Errorf("completed result %+v, want completion alone", completed.Result)
		}
		if seconds(t, terminated.Result.Duration) < seconds(t, completed.Result.Duration) {
			t.Errorf("terminated lasted %s, less than the %s to completion", terminated.Result.Duration, completed.Result.Duration)
		}
		if d := seconds(t, ss[0][len(ss[0])-1].Result.Duration); d <= 0 {
			t.Errorf("the first session's terminated lasted %v s, want more than 0", d)
		}
	})

	t.Run("reused fetch URL", func(t *testing.T) {
		// The first launch URL again, in a tab that has not kept its token
		// (sessionStorage is the tab's): the LRS answers error-code 1.
		n := len(l.statements(t, reg))
		evalJS[bool](t, ctx, `sessionStorage.clear(), true`)
		launch(t, ctx, srv, "cmi5", "cmi5", url.QueryEscape(first.URL))
		if got := evalJS[string](t, ctx, `drive.status()`); !strings.Contains(got, "already been used") {
			t.Errorf("a reused fetch URL shows %q, want that the link has already been used", got)
		}
		if got := l.fetches(t); got != 3 {
			t.Errorf("fetch URLs were POSTed %d times, want 3", got)
		}
		if got := len(l.statements(t, reg)); got != n {
			t.Errorf("a reused fetch URL led to %d statements", got-n)
		}
	})

	t.Run("lesson AU, Browse", func(t *testing.T) {
		lessonPub := cmi5.AUID(c, "positive-risk-taking")
		lessonURL := srv.URL + "/pkg/lesson/index.html?lesson=positive-risk-taking"
		b := l.launchAU(t, map[string]any{"learner": learner, "au": lessonPub, "url": lessonURL, "course": c.ID, "launchMode": "Browse"})
		launch(t, ctx, srv, "cmi5", "cmi5-lesson", url.QueryEscape(b.URL))
		if got := evalJS[string](t, ctx, `drive.status()`); !strings.Contains(got, "Browse: results are not recorded") {
			t.Errorf("status %q does not say it is browsing", got)
		}
		assertNoAxeViolations(t, ctx, "a cmi5 lesson AU in Browse mode")
		want := []step{{"launched", b.ActivityID}, {"initialized", b.ActivityID}, {"experienced", c.ID + "/lessons/positive-risk-taking"}}
		for _, id := range evalJS[[]string](t, ctx, `drive.questions()`) {
			evalJS[string](t, ctx, `drive.answer(`+mustJSON(id)+`, true)`)
			want = append(want, step{"answered", c.ID + "/interactions/" + id})
		}
		evalJS[bool](t, ctx, `drive.click('#ck-exit')`)
		waitFor(t, ctx, `drive.exists('#ck-finished') && drive.state().pending === 0`)
		want = append(want, step{"terminated", b.ActivityID})
		got := l.waitForStatements(t, b.Registration, len(want))
		diffSteps(t, want, steps(got))
		if t.Failed() {
			return
		}
		checkLaunched(t, got[0], b, lessonPub, "Browse", lessonURL, "NotApplicable", nil)
		checkCMI5Statements(t, got[1:], b.Registration, b.SessionID, lessonPub, b.ActivityID)
	})
}
