package packager_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/coursekit/coursekit/packager"
	"github.com/coursekit/coursekit/pkg/course"
)

// TestSCORMInBrowser walks the Peer Support Training course in every SCORM
// package (both editions, both SCO modes) under scorm-again: it reads
// lessons, answers questions right and wrong, leaves midway, relaunches with
// the saved data, resumes at the bookmark, finishes, and then checks what
// the LMS committed. axe-core checks every page it visits.
func TestSCORMInBrowser(t *testing.T) {
	c := mustLoad(t, peerSupport)
	pkgs := map[string]string{}
	for _, perLesson := range []bool{false, true} {
		out := t.TempDir()
		results, err := packager.Build(context.Background(), c, packager.Options{Formats: packager.DefaultFormats, OutDir: out, SCOPerLesson: perLesson})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range results {
			pkgs[fmt.Sprintf("%s-%v", r.Format, perLesson)] = extract(t, r.Path)
		}
	}
	srv := serveLMS(t, pkgs)
	ctx := newBrowser(t)

	for _, std := range []string{"scorm12", "scorm2004"} {
		t.Run(std+"/course", func(t *testing.T) {
			sco := "/pkg/" + std + "-false/index.html"
			key := std + "-course"

			// First session: open a lesson from the contents, answer one
			// question right and one wrong, and leave.
			launch(t, ctx, srv, std, key, sco)
			if got := evalJS[string](t, ctx, `drive.status()`); !regexp.MustCompile(`Jane Doe`).MatchString(got) {
				t.Errorf("status = %q, want the learner's name", got)
			}
			evalJS[bool](t, ctx, `drive.click('[data-ck-lesson="positive-risk-taking"]')`)
			waitFor(t, ctx, `drive.lesson() === "positive-risk-taking"`)
			if got := evalJS[string](t, ctx, `drive.answer("risk-two-way", true)`); got != "correct" {
				t.Errorf("right answer marked %q", got)
			}
			if got := evalJS[string](t, ctx, `drive.answer("risk-averse-cultures", false)`); got != "incorrect" {
				t.Errorf("wrong answer marked %q", got)
			}
			assertNoAxeViolations(t, ctx, "a lesson with checked questions")
			leave(t, ctx, std)
			first := stored(t, ctx)
			cmi := first.flat(std)
			want := map[string]string{"exit": "suspend", "location": "positive-risk-taking", "status": incomplete[std]}
			for k, v := range want {
				if cmi[k] != v {
					t.Errorf("after leaving midway %s = %q, want %q", k, cmi[k], v)
				}
			}
			if cmi["suspend_data"] == "" || len(first.interactions()) != 2 {
				t.Errorf("after leaving midway: suspend_data %q, %d interactions; want data and 2", cmi["suspend_data"], len(first.interactions()))
			}

			// Second session: resume at the bookmark with the answers kept,
			// then go through every lesson, answer everything rightly, write
			// the reflection and essay, and exit.
			launch(t, ctx, srv, std, key, sco)
			if got := evalJS[string](t, ctx, `drive.lesson()`); got != "positive-risk-taking" {
				t.Errorf("relaunch opened %q, want the bookmark positive-risk-taking", got)
			}
			results := evalJS[map[string]bool](t, ctx, `drive.state().results`)
			if !results["risk-two-way"] || results["risk-averse-cultures"] || len(results) != 2 {
				t.Errorf("resumed results = %v, want risk-two-way right and risk-averse-cultures wrong", results)
			}
			evalJS[bool](t, ctx, `drive.click('[data-ck-lesson="introduction"]')`)
			waitFor(t, ctx, `drive.lesson() === "introduction"`)
			evalJS[bool](t, ctx, `drive.click('#ck-next')`)
			waitFor(t, ctx, `drive.lesson() === "what-is-recovery"`)
			questions, texts := walkAllLessons(t, ctx, c.Lessons)
			evalJS[bool](t, ctx, `drive.click('#ck-exit')`)
			waitFor(t, ctx, `drive.exists('#ck-finished') && /Finish|Terminate/.test(drive.log().join())`)
			assertNoAxeViolations(t, ctx, "the closing page")

			final := stored(t, ctx)
			cmi = final.flat(std)
			wantFinal := map[string]string{"scorm12": "passed", "scorm2004": "completed/passed"}[std]
			if cmi["status"] != wantFinal || cmi["raw"] != "100" || cmi["min"] != "0" || cmi["max"] != "100" {
				t.Errorf("final status %q score %s [%s, %s]; want %s and 100 [0, 100]", cmi["status"], cmi["raw"], cmi["min"], cmi["max"], wantFinal)
			}
			if std == "scorm2004" && cmi["scaled"] != "1" {
				t.Errorf("final score.scaled = %q, want 1", cmi["scaled"])
			}
			if want := map[string]string{"scorm12": "", "scorm2004": "normal"}[std]; cmi["exit"] != want {
				t.Errorf("final exit = %q, want %q", cmi["exit"], want)
			}
			if !sessionTime[std].MatchString(cmi["session_time"]) {
				t.Errorf("session_time %q is not in %s's format", cmi["session_time"], std)
			}
			assertInteractions(t, std, final.interactions(), questions, texts)
		})

		t.Run(std+"/lesson", func(t *testing.T) {
			sco := "/pkg/" + std + "-true/index.html?lesson="
			launch(t, ctx, srv, std, std+"-risk", sco+"positive-risk-taking")
			if mode := evalJS[string](t, ctx, `drive.state().mode`); mode != "lesson" || evalJS[bool](t, ctx, `drive.exists('#ck-next:not([hidden])')`) {
				t.Errorf("lesson SCO runs in %q mode or shows course navigation", mode)
			}
			evalJS[string](t, ctx, `drive.answer("risk-two-way", false)`)
			leave(t, ctx, std)
			if cmi := stored(t, ctx).flat(std); cmi["exit"] != "suspend" || cmi["status"] != incomplete[std] {
				t.Errorf("lesson SCO left midway: exit %q status %q, want suspend and incomplete", cmi["exit"], cmi["status"])
			}
			launch(t, ctx, srv, std, std+"-risk", sco+"positive-risk-taking")
			if r := evalJS[map[string]bool](t, ctx, `drive.state().results`); len(r) != 1 || r["risk-two-way"] {
				t.Errorf("resumed lesson results = %v, want risk-two-way wrong", r)
			}
			for _, id := range evalJS[[]string](t, ctx, `drive.questions()`) {
				if got := evalJS[string](t, ctx, fmt.Sprintf(`drive.answer(%q, true)`, id)); got != "correct" {
					t.Errorf("question %s marked %q after a right answer", id, got)
				}
			}
			assertNoAxeViolations(t, ctx, "a lesson SCO")
			evalJS[bool](t, ctx, `drive.click('#ck-exit')`)
			waitFor(t, ctx, `/Finish|Terminate/.test(drive.log().join())`)
			cmi := stored(t, ctx).flat(std)
			if want := map[string]string{"scorm12": "passed", "scorm2004": "completed/passed"}[std]; cmi["status"] != want || cmi["raw"] != "100" {
				t.Errorf("lesson SCO finished with status %q score %q, want %s and 100", cmi["status"], cmi["raw"], want)
			}

			// A lesson without questions is complete once viewed.
			launch(t, ctx, srv, std, std+"-intro", sco+"introduction")
			evalJS[bool](t, ctx, `drive.click('#ck-exit')`)
			waitFor(t, ctx, `/Finish|Terminate/.test(drive.log().join())`)
			cmi = stored(t, ctx).flat(std)
			if want := map[string]string{"scorm12": "completed", "scorm2004": "completed/unknown"}[std]; cmi["status"] != want {
				t.Errorf("lesson SCO without questions finished with status %q, want %s", cmi["status"], want)
			}
		})
	}
}

// TestPreviewWithoutLMS opens a package with no LMS around it: the player
// runs as a preview and says so.
func TestPreviewWithoutLMS(t *testing.T) {
	c := mustLoad(t, peerSupport)
	results, err := packager.Build(context.Background(), c, packager.Options{Formats: []packager.Format{packager.SCORM12}, OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	srv := serveLMS(t, map[string]string{"p": extract(t, results[0].Path)})
	ctx := newBrowser(t)
	// The LMS page with an unknown standard provides no API.
	launch(t, ctx, srv, "none", "preview", "/pkg/p/index.html")
	if got := evalJS[string](t, ctx, `drive.status()`); got != "Preview (no LMS)" {
		t.Errorf("status = %q, want Preview (no LMS)", got)
	}
	if evalJS[bool](t, ctx, `drive.state().connected`) {
		t.Error("the player reports an LMS connection where there is none")
	}
	evalJS[bool](t, ctx, `drive.click('[data-ck-lesson="using-your-experiences"]')`)
	waitFor(t, ctx, `drive.lesson() === "using-your-experiences"`)
	assertNoAxeViolations(t, ctx, "the preview")
}

var incomplete = map[string]string{"scorm12": "incomplete", "scorm2004": "incomplete/unknown"}

var sessionTime = map[string]*regexp.Regexp{
	"scorm12":   regexp.MustCompile(`^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$`),
	"scorm2004": regexp.MustCompile(`^P(\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$`),
}

// walkAllLessons opens every lesson from the contents, answers its
// questions rightly and writes its reflections and essays. It returns the
// ids of the questions and texts it answered.
func walkAllLessons(t *testing.T, ctx context.Context, lessons []*course.Lesson) (questions, texts []string) {
	t.Helper()
	for _, l := range lessons {
		evalJS[bool](t, ctx, fmt.Sprintf(`drive.click('[data-ck-lesson=%q]')`, l.ID))
		waitFor(t, ctx, fmt.Sprintf(`drive.lesson() === %q`, l.ID))
		for _, id := range evalJS[[]string](t, ctx, `drive.questions()`) {
			if got := evalJS[string](t, ctx, fmt.Sprintf(`drive.answer(%q, true)`, id)); got != "correct" {
				t.Errorf("question %s marked %q after a right answer", id, got)
			}
			questions = append(questions, id)
		}
		for _, id := range evalJS[[]string](t, ctx, `drive.texts()`) {
			evalJS[bool](t, ctx, fmt.Sprintf(`drive.write(%q, "I would say yes, briefly,\nand ask what she hopes for.")`, id))
			texts = append(texts, id)
		}
		if l.ID == "using-your-experiences" {
			assertNoAxeViolations(t, ctx, "a lesson with a reflection")
		}
	}
	return questions, texts
}

// assertInteractions checks that every answered question and text was
// recorded with the fields the issue lists, in the edition's formats.
func assertInteractions(t *testing.T, std string, got []map[string]any, questions, texts []string) {
	t.Helper()
	byID := map[string]map[string]any{}
	for _, ix := range got {
		byID[fmt.Sprint(ix["id"])] = ix // the last record of an id wins
	}
	fields := map[string][]string{
		"scorm12":   {"id", "type", "student_response", "result", "weighting", "latency", "time"},
		"scorm2004": {"id", "type", "learner_response", "result", "weighting", "latency", "timestamp", "description"},
	}[std]
	for _, id := range append(append([]string{}, questions...), texts...) {
		ix, ok := byID[id]
		if !ok {
			t.Errorf("no interaction recorded for %s", id)
			continue
		}
		for _, f := range fields {
			if v, _ := ix[f].(string); v == "" && f != "weighting" {
				t.Errorf("interaction %s has no %s: %v", id, f, ix)
			}
		}
	}
	for _, id := range questions {
		ix := byID[id]
		if ix == nil {
			continue
		}
		if ix["result"] != "correct" {
			t.Errorf("interaction %s result %v, want correct", id, ix["result"])
		}
		cr, _ := ix["correct_responses"].(map[string]any)
		if p, _ := cr["0"].(map[string]any); p == nil || p["pattern"] == "" {
			t.Errorf("interaction %s has no correct response pattern: %v", id, ix)
		}
	}
	for _, id := range texts {
		if ix := byID[id]; ix != nil && ix["result"] != "neutral" {
			t.Errorf("text interaction %s result %v, want neutral", id, ix["result"])
		}
	}
}

// cmiJSON is what the test LMS stored: scorm-again's CMI object as JSON.
type cmiJSON map[string]any

func stored(t *testing.T, ctx context.Context) cmiJSON {
	t.Helper()
	return evalJS[cmiJSON](t, ctx, `drive.stored()`)
}

// flat picks the values the tests compare, under one name for both
// editions; status is lesson_status for 1.2 and completion/success for 2004.
func (c cmiJSON) flat(std string) map[string]string {
	s := func(m map[string]any, k string) string { v, _ := m[k].(string); return v }
	sub := func(m map[string]any, k string) map[string]any { v, _ := m[k].(map[string]any); return v }
	if std == "scorm12" {
		core := sub(c, "core")
		score := sub(core, "score")
		return map[string]string{
			"exit": s(core, "exit"), "location": s(core, "lesson_location"), "status": s(core, "lesson_status"),
			"raw": s(score, "raw"), "min": s(score, "min"), "max": s(score, "max"),
			"session_time": s(core, "session_time"), "suspend_data": s(c, "suspend_data"),
		}
	}
	score := sub(c, "score")
	return map[string]string{
		"exit": s(c, "exit"), "location": s(c, "location"), "status": s(c, "completion_status") + "/" + s(c, "success_status"),
		"raw": s(score, "raw"), "min": s(score, "min"), "max": s(score, "max"), "scaled": s(score, "scaled"),
		"session_time": s(c, "session_time"), "suspend_data": s(c, "suspend_data"),
	}
}

// interactions are the stored interactions in order.
func (c cmiJSON) interactions() []map[string]any {
	m, _ := c["interactions"].(map[string]any)
	out := make([]map[string]any, 0, len(m))
	for i := 0; ; i++ {
		ix, ok := m[strconv.Itoa(i)].(map[string]any)
		if !ok {
			return out
		}
		out = append(out, ix)
	}
}

// leave unloads the SCO and waits until the LMS has the finish call.
func leave(t *testing.T, ctx context.Context, std string) {
	t.Helper()
	evalJS[bool](t, ctx, `drive.leave()`)
	waitFor(t, ctx, `/Finish|Terminate/.test(drive.log().join())`)
}
