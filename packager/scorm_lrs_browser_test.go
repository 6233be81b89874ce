package packager_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/coursekit/coursekit/packager"
	"github.com/coursekit/coursekit/packager/lrsreport"
)

// TestSCORMWithLRSInBrowser runs SCORM packages built with an LRS under
// scorm-again: the LMS gets its SCORM data as always, and coursekit's LRS
// gets the same story as xAPI statements by the ADL SCORM profile, across
// a suspended and a resumed session of one attempt.
func TestSCORMWithLRSInBrowser(t *testing.T) {
	c := mustLoad(t, peerSupport)
	l := newTestLRS(t)
	srv := serveLMS(t, nil)
	l.start(t, srv.URL)
	target, err := lrsreport.Parse(l.endpoint, l.credential(t, "statements/write"))
	if err != nil {
		t.Fatal(err)
	}
	results, err := packager.Build(context.Background(), c, packager.Options{Formats: packager.DefaultFormats, OutDir: t.TempDir(), LRS: target.Runtime()})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		addPackage(srv, string(r.Format), extract(t, r.Path))
	}
	ctx := newBrowser(t)

	for _, std := range []string{"scorm12", "scorm2004"} {
		t.Run(std, func(t *testing.T) {
			sco := "/pkg/" + std + "/index.html"
			key := std + "-lrs"

			// First session: answer one question right and one wrong, leave.
			launch(t, ctx, srv, std, key, sco)
			evalJS[bool](t, ctx, `drive.click('[data-ck-lesson="positive-risk-taking"]')`)
			waitFor(t, ctx, `drive.lesson() === "positive-risk-taking"`)
			evalJS[string](t, ctx, `drive.answer("risk-two-way", true)`)
			evalJS[string](t, ctx, `drive.answer("risk-averse-cultures", false)`)
			leave(t, ctx, std)
			data := stored(t, ctx).flat(std)
			fields := strings.Split(data["suspend_data"], "|")
			if len(fields) != 6 {
				t.Fatalf("suspend_data %q, want the player's five fields and the attempt id", data["suspend_data"])
			}
			attempt := fields[5]
			first := l.waitForStatements(t, attempt, 4)

			// Second session: resume, go through everything, exit.
			launch(t, ctx, srv, std, key, sco)
			walkAllLessons(t, ctx, c.Lessons)
			evalJS[bool](t, ctx, `drive.click('#ck-exit')`)
			waitFor(t, ctx, `drive.exists('#ck-finished') && /Finish|Terminate/.test(drive.log().join()) && drive.state().pending === 0`)
			cmi := stored(t, ctx).flat(std)
			if want := map[string]string{"scorm12": "passed", "scorm2004": "completed/passed"}[std]; cmi["status"] != want || cmi["raw"] != "100" {
				t.Errorf("the LMS has status %q score %q, want %s and 100", cmi["status"], cmi["raw"], want)
			}
			if !strings.HasSuffix(cmi["suspend_data"], "|"+attempt) {
				t.Errorf("the attempt id changed: suspend_data %q", cmi["suspend_data"])
			}

			w := newWalker(c, c.ID, c.MasteryScore*100)
			w.viewed["introduction"], w.viewed["positive-risk-taking"] = true, true
			w.right["risk-two-way"] = true
			want := []step{
				{"initialized", c.ID},
				{"answered", c.ID + "/interactions/risk-two-way"},
				{"answered", c.ID + "/interactions/risk-averse-cultures"},
				{"suspended", c.ID},
				{"resumed", c.ID},
			}
			for _, s := range w.walk("positive-risk-taking") {
				if s.verb != "experienced" { // the SCORM profile has no lesson views
					want = append(want, s)
				}
			}
			want = append(want, step{"terminated", c.ID})
			got := l.statements(t, attempt)
			diffSteps(t, want, steps(got))
			if len(first) != 4 {
				t.Errorf("after the first session the LRS had %d statements, want 4", len(first))
			}

			attemptIRI := c.ID + "?attemptId=" + url.QueryEscape(attempt)
			for _, s := range got {
				if a := s.Actor.Account; a == nil || a.HomePage != srv.URL || a.Name != "learner-1" || s.Actor.Name != "" {
					t.Errorf("%s: actor %+v, want the account learner-1 at %s and no name", s.verb(), s.Actor, srv.URL)
				}
				if !slices.Contains(s.activities("grouping"), attemptIRI) || !slices.Equal(s.activities("category"), []string{"http://adlnet.gov/xapi/profile/scorm"}) {
					t.Errorf("%s: grouping %v category %v", s.verb(), s.activities("grouping"), s.activities("category"))
				}
			}
			last := got[len(got)-1]
			if r := last.Result; r == nil || r.Score == nil || r.Score.Scaled != 1 || r.Success == nil || !*r.Success || r.Completion == nil || !*r.Completion {
				t.Errorf("terminated result %+v, want completed, passed, scaled 1", last.Result)
			}
			if r := got[3].Result; r == nil || r.Completion == nil || *r.Completion || r.Success != nil {
				t.Errorf("suspended result %+v, want incomplete and no success yet", got[3].Result)
			}
		})
	}
}
