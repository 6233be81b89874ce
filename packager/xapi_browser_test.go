package packager_test

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/coursekit/coursekit/packager"
	"github.com/coursekit/coursekit/pkg/course"
)

const verbIRI = "http://adlnet.gov/expapi/verbs/"

// walker predicts the statements of a learner who goes through lessons in
// order, answering every question rightly and writing every text (as
// walkAllLessons does), by the course's rules: passed when the score first
// reaches the mastery score, completed when the completion rule is first
// met, both about unit (the launched activity).
type walker struct {
	c       *course.Course
	unit    string
	mastery float64 // 0-100
	viewed  map[string]bool
	right   map[string]bool
	passed  bool
	done    bool
}

func newWalker(c *course.Course, unit string, mastery float64) *walker {
	return &walker{c: c, unit: unit, mastery: mastery, viewed: map[string]bool{}, right: map[string]bool{}}
}

func (w *walker) report() []step {
	var total, got float64
	for _, q := range w.c.Questions() {
		wt := q.Weight
		if wt == 0 {
			wt = 1
		}
		total += wt
		if w.right[q.ID] {
			got += wt
		}
	}
	var out []step
	if !w.passed && total > 0 && 100*got/total >= w.mastery-1e-9 {
		w.passed = true
		out = append(out, step{"passed", w.unit})
	}
	if !w.done && len(w.viewed) == len(w.c.Lessons) && (w.passed || !w.c.Completion.NeedsPass()) {
		w.done = true
		out = append(out, step{"completed", w.unit})
	}
	return out
}

// view is a lesson shown; the first of a session is shown without a click.
func (w *walker) view(l *course.Lesson) []step {
	w.viewed[l.ID] = true
	return append([]step{{"experienced", w.c.ActivityID(course.LessonActivities, l.ID)}}, w.report()...)
}

func (w *walker) answer(id string, question bool) []step {
	if question {
		w.right[id] = true
	}
	return append([]step{{"answered", w.c.ActivityID(course.InteractionActivities, id)}}, w.report()...)
}

// walk is walkAllLessons: each lesson (clicking the one already shown
// changes nothing), its questions, then its texts.
func (w *walker) walk(current string) []step {
	return w.walkLessons(w.c.Lessons, current)
}

// walkLessons is walkAllLessons over some of the lessons.
func (w *walker) walkLessons(lessons []*course.Lesson, current string) []step {
	var out []step
	for _, l := range lessons {
		if l.ID != current {
			out = append(out, w.view(l)...)
			current = l.ID
		}
		var texts []string
		for _, b := range l.Body {
			switch b := b.(type) {
			case *course.Question:
				out = append(out, w.answer(b.ID, true)...)
			case *course.Reflection:
				texts = append(texts, b.ID)
			case *course.Essay:
				texts = append(texts, b.ID)
			}
		}
		for _, id := range texts {
			out = append(out, w.answer(id, false)...)
		}
	}
	return out
}

var isoDuration = regexp.MustCompile(`^PT(\d+)H(\d+)M(\d+(?:\.\d+)?)S$`)

// seconds reads the durations the player writes, PT#H#M#S.
func seconds(t *testing.T, d string) float64 {
	t.Helper()
	m := isoDuration.FindStringSubmatch(d)
	if m == nil {
		t.Errorf("duration %q is not PT#H#M#S", d)
		return 0
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	s, _ := strconv.ParseFloat(m[3], 64)
	return float64(h*3600+mi*60) + s
}

// TestXAPIPackageWithLRS launches the xAPI package of Peer Support
// Training as an LMS or launcher would, with endpoint, auth, actor and
// registration in the URL, against coursekit's LRS; walks the course,
// answers everything, exits, and checks the exact statements the LRS holds.
func TestXAPIPackageWithLRS(t *testing.T) {
	c := mustLoad(t, peerSupport)
	results, err := packager.Build(context.Background(), c, packager.Options{Formats: []packager.Format{packager.XAPI}, OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	l := newTestLRS(t)
	srv := serveLMS(t, map[string]string{"xapi": extract(t, results[0].Path)})
	l.start(t, srv.URL)
	cred := l.credential(t, "statements/write")
	ctx := newBrowser(t)

	reg := uuid.NewString()
	actor := `{"objectType":"Agent","name":"Jane Doe","account":{"homePage":"https://lms.example.org","name":"jane-7"}}`
	q := launchQuery(map[string]string{"endpoint": l.endpoint, "auth": basic(cred), "actor": actor, "registration": reg})
	launch(t, ctx, srv, "xapi", "xapi", url.QueryEscape("/pkg/xapi/index.html?"+q))
	if got := evalJS[string](t, ctx, `drive.status()`); got != "Learner: Jane Doe" {
		t.Errorf("status = %q, want the actor's name", got)
	}
	w := newWalker(c, c.ID, c.MasteryScore*100)
	want := append([]step{{"initialized", c.ID}}, w.view(c.Lessons[0])...)
	want = append(want, w.walk(c.Lessons[0].ID)...)
	walkAllLessons(t, ctx, c.Lessons)
	evalJS[bool](t, ctx, `drive.click('#ck-exit')`)
	waitFor(t, ctx, `drive.exists('#ck-finished') && drive.state().pending === 0`)
	want = append(want, step{"terminated", c.ID})

	got := l.statements(t, reg)
	diffSteps(t, want, steps(got))
	if t.Failed() {
		return
	}
	credKey, _, _ := strings.Cut(cred, ":")
	byVerb := map[string][]statement{}
	for _, s := range got {
		byVerb[s.verb()] = append(byVerb[s.verb()], s)
		if s.Actor.Name != "Jane Doe" || s.Actor.Account == nil || s.Actor.Account.Name != "jane-7" {
			t.Errorf("%s: actor %+v, want the launch actor", s.verb(), s.Actor)
		}
		if s.Context.Registration != reg {
			t.Errorf("%s: registration %q, want %q", s.verb(), s.Context.Registration, reg)
		}
		if !regexp.MustCompile(`"name":"` + credKey + `"`).Match(s.Authority) {
			t.Errorf("%s: authority %s, want the package's credential", s.verb(), s.Authority)
		}
		if len(s.activities("category")) != 0 {
			t.Errorf("%s: cmi5 categories in an xAPI package: %v", s.verb(), s.activities("category"))
		}
	}
	for _, s := range byVerb["experienced"] {
		if s.Object.Definition.Type != "http://adlnet.gov/expapi/activities/lesson" || !slices.Equal(s.activities("parent"), []string{c.ID}) {
			t.Errorf("experienced %s: type %q parent %v", s.Object.ID, s.Object.Definition.Type, s.activities("parent"))
		}
	}
	for _, s := range byVerb["answered"] {
		def := s.Object.Definition
		if def.Type != "http://adlnet.gov/expapi/activities/cmi.interaction" || def.InteractionType == "" || s.Result == nil || s.Result.Response == "" {
			t.Errorf("answered %s: definition %+v result %+v", s.Object.ID, def, s.Result)
			continue
		}
		if def.InteractionType != "long-fill-in" && (s.Result.Success == nil || !*s.Result.Success || len(def.Correct) == 0) {
			t.Errorf("answered %s: success %v, patterns %v; want a right answer with its patterns", s.Object.ID, s.Result.Success, def.Correct)
		}
		seconds(t, s.Result.Duration)
	}
	passed := byVerb["passed"][0]
	if r := passed.Result; r == nil || r.Score == nil || r.Score.Scaled != 0.8 || r.Score.Raw == nil || *r.Score.Raw != 80 || !*r.Success {
		t.Errorf("passed result %+v, want success with 80 of 100 (the score when it first reached the mastery score)", passed.Result)
	}
	completed, terminated := byVerb["completed"][0], byVerb["terminated"][0]
	if completed.Result == nil || completed.Result.Completion == nil || !*completed.Result.Completion || completed.Result.Score != nil {
		t.Errorf("completed result %+v, want completion and no score", completed.Result)
	}
	if seconds(t, terminated.Result.Duration) < seconds(t, completed.Result.Duration) {
		t.Errorf("terminated lasted %s, less than the %s to completion", terminated.Result.Duration, completed.Result.Duration)
	}
	if ts, _ := time.Parse(time.RFC3339Nano, terminated.Timestamp); ts.IsZero() {
		t.Errorf("terminated timestamp %q", terminated.Timestamp)
	}
}
