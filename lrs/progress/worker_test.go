package progress

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs"
)

const testCourse = "https://example.org/courses/c"

func testCourses() []Course {
	m := 0.8
	return []Course{{
		ID: testCourse, Title: "C", MasteryScore: &m,
		Lessons: []Lesson{
			{ID: "l1", ActivityID: testCourse + "/lessons/l1", Title: "One"},
			{ID: "l2", ActivityID: testCourse + "/lessons/l2", Title: "Two"},
			{ID: "l3", ActivityID: testCourse + "/lessons/l3", Title: "Three"},
		},
		Questions: []Question{
			{ID: "q1", ActivityID: testCourse + "/interactions/q1", LessonID: "l1", Kind: "single-choice", Prompt: "Q?",
				Choices: []Choice{{ID: "a", Text: "Alpha"}, {ID: "b", Text: "Beta"}}},
			{ID: "r1", ActivityID: testCourse + "/interactions/r1", LessonID: "l2", Kind: KindReflection, Prompt: "Think"},
		},
	}}
}

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

// journey builds statements as the course player sends them.
type journey struct {
	stmts []lrs.Statement
}

// st describes one statement of a journey.
type st struct {
	actor    map[string]any
	verb     string
	object   string
	reg      string
	at       time.Duration // after t0
	score    *float64
	success  *bool
	response string
	duration string
	grouping string
	team     string
	voids    string
}

func ptr[T any](v T) *T { return &v }

var (
	ann   = map[string]any{"mbox": "mailto:ann@example.org", "name": "Ann"}
	bob   = map[string]any{"account": map[string]any{"homePage": "https://lms.example.org", "name": "bob"}, "name": "Bob"}
	carol = map[string]any{"mbox": "mailto:carol@example.org", "name": "Carol"}
)

const (
	annIFI   = "mbox:mailto:ann@example.org"
	bobIFI   = "account:https://lms.example.org|bob"
	carolIFI = "mbox:mailto:carol@example.org"
	reg1     = "11111111-1111-4111-8111-111111111111"
	reg2     = "22222222-2222-4222-8222-222222222222"
)

func (j *journey) add(s st) string {
	seq := int64(len(j.stmts) + 1)
	id := fmt.Sprintf("00000000-0000-4000-8000-%012d", seq)
	m := map[string]any{
		"id": id, "actor": s.actor,
		"verb":      map[string]any{"id": "http://adlnet.gov/expapi/verbs/" + s.verb},
		"timestamp": t0.Add(s.at).Format(time.RFC3339Nano),
		"stored":    t0.Add(s.at).Format(time.RFC3339Nano),
	}
	objectType := "Activity"
	if s.voids != "" {
		objectType = "StatementRef"
		m["object"] = map[string]any{"objectType": "StatementRef", "id": s.voids}
	} else {
		m["object"] = map[string]any{"objectType": "Activity", "id": s.object}
	}
	ctx := map[string]any{}
	if s.reg != "" {
		ctx["registration"] = s.reg
	}
	if s.grouping != "" {
		ctx["contextActivities"] = map[string]any{"grouping": []any{map[string]any{"id": s.grouping}}}
	}
	if s.team != "" {
		ctx["team"] = map[string]any{"objectType": "Group", "name": s.team, "mbox": "mailto:team@example.org"}
	}
	if len(ctx) > 0 {
		m["context"] = ctx
	}
	r := map[string]any{}
	if s.score != nil {
		r["score"] = map[string]any{"scaled": *s.score}
	}
	if s.success != nil {
		r["success"] = *s.success
	}
	if s.response != "" {
		r["response"] = s.response
	}
	if s.duration != "" {
		r["duration"] = s.duration
	}
	if len(r) > 0 {
		m["result"] = r
	}
	data, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	actorIFI := map[string]string{"Ann": annIFI, "Bob": bobIFI, "Carol": carolIFI}[s.actor["name"].(string)]
	stmt := lrs.Statement{ID: id, JSON: data, Stored: t0.Add(s.at), Seq: seq, ActorIFI: actorIFI,
		VerbID: "http://adlnet.gov/expapi/verbs/" + s.verb, ObjectType: objectType, ObjectID: s.object, Registration: s.reg, VoidsID: s.voids}
	if s.voids != "" {
		stmt.VerbID = "http://adlnet.gov/expapi/verbs/voided"
		stmt.ObjectID = s.voids
		for i := range j.stmts {
			if j.stmts[i].ID == s.voids {
				j.stmts[i].Voided = true
			}
		}
	}
	j.stmts = append(j.stmts, stmt)
	return id
}

// memStore is a WorkerStore in memory.
type memStore struct {
	courses   []Course
	j         *journey
	cursor    int64
	facts     map[string]Fact
	learners  map[Key]Progress
	regs      map[Key][]Progress
	applyRuns int
	// reads counts StatementsAfter calls.
	reads int
	// extends counts the keys Folded returned progress of.
	extends int
	// arrive, when set, is called after each StatementsAfter: ingest
	// storing statements while a batch is folded.
	arrive func()
}

func newMemStore(j *journey) *memStore {
	return &memStore{courses: testCourses(), j: j, facts: map[string]Fact{}, learners: map[Key]Progress{}, regs: map[Key][]Progress{}}
}

func (m *memStore) RegisteredCourses(context.Context) ([]Course, error) { return m.courses, nil }
func (m *memStore) Cursor(context.Context) (int64, error)               { return m.cursor, nil }
func (m *memStore) StatementsAfter(_ context.Context, after int64, limit int) ([]lrs.Statement, error) {
	m.reads++
	var out []lrs.Statement
	for _, s := range m.j.stmts {
		if s.Seq > after && len(out) < limit {
			out = append(out, s)
		}
	}
	if m.arrive != nil {
		m.arrive()
	}
	return out, nil
}
func (m *memStore) LastSeq(context.Context) (int64, error) {
	var last int64
	for _, s := range m.j.stmts {
		last = max(last, s.Seq)
	}
	return last, nil
}
func (m *memStore) Apply(_ context.Context, from, to int64, fn func(FactTx) error) error {
	if from != m.cursor {
		return ErrCursorMoved
	}
	m.applyRuns++
	if err := fn(m); err != nil {
		return err
	}
	m.cursor = to
	return nil
}
func (m *memStore) Reset(context.Context) error {
	m.cursor, m.facts, m.learners, m.regs = 0, map[string]Fact{}, map[Key]Progress{}, map[Key][]Progress{}
	return nil
}
func (m *memStore) DeleteFacts(_ context.Context, ids []string) error {
	for _, id := range ids {
		delete(m.facts, id)
	}
	return nil
}
func (m *memStore) InsertFacts(_ context.Context, facts []Fact) error {
	for _, f := range facts {
		if f.Kind == FactAnswer {
			m.facts[f.StatementID] = f
		}
	}
	return nil
}
func (m *memStore) LearnerStatements(_ context.Context, learners []string, upTo int64) ([]lrs.Statement, error) {
	var out []lrs.Statement
	for _, s := range m.j.stmts {
		if s.Seq <= upTo && !s.Voided && s.VoidsID == "" && slices.Contains(learners, s.ActorIFI) {
			out = append(out, s)
		}
	}
	return out, nil
}
func (m *memStore) StatementsByID(_ context.Context, ids []string) ([]lrs.Statement, error) {
	var out []lrs.Statement
	for _, s := range m.j.stmts {
		if slices.Contains(ids, s.ID) {
			out = append(out, s)
		}
	}
	return out, nil
}
func (m *memStore) Folded(_ context.Context, keys []Key) (map[Key]Folded, error) {
	out := map[Key]Folded{}
	for _, k := range keys {
		if l, ok := m.learners[k]; ok {
			m.extends++
			out[k] = Folded{Learner: l, Registrations: m.regs[k], Complete: true}
		}
	}
	return out, nil
}
func (m *memStore) ExtendProgress(ctx context.Context, learners, regs []Progress, _ map[Key]Folded) error {
	var keys []Key
	for _, l := range learners {
		keys = append(keys, Key{l.Course, l.Learner})
	}
	return m.PutProgress(ctx, keys, learners, regs)
}
func (m *memStore) PutProgress(_ context.Context, keys []Key, learners, regs []Progress) error {
	for _, k := range keys {
		delete(m.learners, k)
		delete(m.regs, k)
	}
	for _, l := range learners {
		m.learners[Key{l.Course, l.Learner}] = l
	}
	for _, r := range regs {
		k := Key{r.Course, r.Learner}
		m.regs[k] = append(m.regs[k], r)
	}
	return nil
}

// row is what a test checks of a Progress.
type row struct {
	Status         Status
	Completed      bool
	Lessons        int
	Score, Latest  string
	Attempts, Regs int
	Time           time.Duration
	First, Last    time.Duration // after t0
	Name           string
	Groups         int
}

func rowOf(p Progress) row {
	f := func(s *float64) string {
		if s == nil {
			return "-"
		}
		return fmt.Sprint(*s)
	}
	return row{p.Status, p.Completed, len(p.Lessons), f(p.Score), f(p.LatestScore), p.Attempts, p.Registrations,
		p.TimeSpent, p.FirstSeen.Sub(t0), p.LastSeen.Sub(t0), p.Name, len(p.Groups)}
}

const day = 24 * time.Hour

// script is the journeys of Ann (two registrations: failed, then passed),
// Bob (no registration, a team, a pass that is voided later) and Carol
// (a cmi5 AU outside the course's ids, grouped with the course), and
// statements of a course not registered.
func script() (*journey, func() string) {
	j := &journey{}
	m, s := time.Minute, time.Second
	c := testCourse
	// Ann, first registration: views l1, answers wrong, fails, terminates.
	j.add(st{actor: ann, verb: "initialized", object: c, reg: reg1})
	j.add(st{actor: ann, verb: "experienced", object: c + "/lessons/l1", reg: reg1, at: m})
	j.add(st{actor: ann, verb: "answered", object: c + "/interactions/q1", reg: reg1, at: 2 * m, success: ptr(false), response: "b", duration: "PT20S"})
	j.add(st{actor: ann, verb: "failed", object: c, reg: reg1, at: 3 * m, score: ptr(0.5), success: ptr(false), duration: "PT3M"})
	j.add(st{actor: ann, verb: "terminated", object: c, reg: reg1, at: 5 * m, duration: "PT5M"})
	// Ann re-attempts in a second registration: passes, completes, no
	// terminated (the session's time is the completed's duration).
	j.add(st{actor: ann, verb: "initialized", object: c, reg: reg2, at: day})
	j.add(st{actor: ann, verb: "experienced", object: c + "/lessons/l2", reg: reg2, at: day + m})
	j.add(st{actor: ann, verb: "answered", object: c + "/interactions/r1", reg: reg2, at: day + 90*s, response: "I <script>learned</script>"})
	j.add(st{actor: ann, verb: "passed", object: c, reg: reg2, at: day + 2*m, score: ptr(0.9), success: ptr(true), duration: "PT2M"})
	j.add(st{actor: ann, verb: "completed", object: c, reg: reg2, at: day + 3*m, duration: "PT3M"})
	j.add(st{actor: ann, verb: "experienced", object: c + "/lessons/l3", reg: reg2, at: day + 10*m})
	// Bob, no registration, no session statements: spans, with a pause
	// longer than IdleGap left out.
	j.add(st{actor: bob, verb: "experienced", object: c + "/lessons/l1", team: "Team A"})
	j.add(st{actor: bob, verb: "experienced", object: c + "/lessons/l2", at: 10 * m, team: "Team A"})
	j.add(st{actor: bob, verb: "experienced", object: c + "/lessons/l3", at: 2 * time.Hour, team: "Team A"})
	bobPass := j.add(st{actor: bob, verb: "passed", object: c, at: 2*time.Hour + m, score: ptr(0.85), success: ptr(true)})
	// Carol: a cmi5 AU whose id is not the course's, grouped with it.
	j.add(st{actor: carol, verb: "initialized", object: "https://lms.example.org/au/7", grouping: c, reg: reg1, at: 3 * time.Hour})
	// A course nobody registered.
	j.add(st{actor: ann, verb: "experienced", object: "https://example.org/courses/other/lessons/a", at: 4 * time.Hour})
	return j, func() string { return bobPass }
}

func TestWorkerJourneys(t *testing.T) {
	ctx := context.Background()
	j, bobPass := script()
	store := newMemStore(j)
	w := NewWorker(store, nil)
	w.batch = 4 // several batches
	if err := w.CatchUp(ctx); err != nil {
		t.Fatalf("CatchUp = %v", err)
	}
	if store.applyRuns != 5 {
		t.Errorf("Apply ran %d times, want 5 batches of at most 4", store.applyRuns)
	}
	m := time.Minute
	want := map[Key]row{
		{testCourse, annIFI}: {Status: Passed, Completed: true, Lessons: 3, Score: "0.9", Latest: "0.9", Attempts: 2, Regs: 2,
			Time: 5*m + 3*m, First: 0, Last: day + 10*m, Name: "Ann"},
		{testCourse, bobIFI}: {Status: Passed, Completed: true, Lessons: 3, Score: "0.85", Latest: "0.85", Attempts: 1, Regs: 1,
			Time: 11 * m, First: 0, Last: 2*time.Hour + m, Name: "Bob", Groups: 2},
		{testCourse, carolIFI}: {Status: InProgress, Lessons: 0, Score: "-", Latest: "-", Regs: 1, First: 3 * time.Hour, Last: 3 * time.Hour, Name: "Carol"},
	}
	check := func(when string, want map[Key]row) {
		t.Helper()
		if len(store.learners) != len(want) {
			t.Errorf("%s: %d learners, want %d", when, len(store.learners), len(want))
		}
		for k, w := range want {
			if got := rowOf(store.learners[k]); got != w {
				t.Errorf("%s: progress of %s =\n%+v, want\n%+v", when, k.Learner, got, w)
			}
		}
	}
	check("after catching up", want)

	regs := store.regs[Key{testCourse, annIFI}]
	wantRegs := []row{
		{Status: Failed, Lessons: 1, Score: "0.5", Latest: "0.5", Attempts: 1, Regs: 1, Time: 5 * m, First: 0, Last: 5 * m, Name: "Ann"},
		{Status: Passed, Completed: true, Lessons: 2, Score: "0.9", Latest: "0.9", Attempts: 1, Regs: 1, Time: 3 * m, First: day, Last: day + 10*m, Name: "Ann"},
	}
	if len(regs) != 2 {
		t.Fatalf("Ann has %d registrations, want 2", len(regs))
	}
	for i, r := range regs {
		if got := rowOf(r); got != wantRegs[i] {
			t.Errorf("Ann's registration %s = %+v, want %+v", r.Registration, got, wantRegs[i])
		}
	}

	// Voiding Bob's pass takes it back out.
	j.add(st{actor: bob, verb: "voided", voids: bobPass(), at: 5 * time.Hour})
	if err := w.CatchUp(ctx); err != nil {
		t.Fatalf("CatchUp = %v", err)
	}
	want[Key{testCourse, bobIFI}] = row{Status: InProgress, Lessons: 3, Score: "-", Latest: "-", Regs: 1,
		Time: 10 * m, First: 0, Last: 2 * time.Hour, Name: "Bob", Groups: 2}
	check("after voiding", want)
	if _, ok := store.facts[bobPass()]; ok {
		t.Errorf("the voided statement's fact is still kept")
	}

	// Rebuild gives the same, the voided statement being stored voided.
	if err := w.Rebuild(ctx); err != nil {
		t.Fatalf("Rebuild = %v", err)
	}
	check("after rebuilding", want)
}

// TestWorkerBatchGrows checks that batches double while they are full, up
// to the maximum, and start small again once the worker has caught up.
// With no course registered the worker moves its cursor past the stored
// statements without reading them.
func TestWorkerNoCourses(t *testing.T) {
	ctx := context.Background()
	j, _ := script()
	store := newMemStore(j)
	store.courses = nil
	if err := NewWorker(store, nil).CatchUp(ctx); err != nil {
		t.Fatalf("CatchUp = %v", err)
	}
	last, _ := store.LastSeq(ctx)
	if store.cursor != last || last == 0 {
		t.Errorf("cursor = %d, want %d", store.cursor, last)
	}
	if store.reads != 0 || len(store.facts) != 0 {
		t.Errorf("read statements %d times and kept %d facts, want none", store.reads, len(store.facts))
	}
}

// TestCatchUpOneBatch checks that CatchUp stops after a batch that was not
// full: statements stored while it folds wait for the next CatchUp, so
// that each learner's progress is written once for all of them.
func TestCatchUpOneBatch(t *testing.T) {
	ctx := context.Background()
	j := &journey{}
	for i := range 3 {
		j.add(st{actor: ann, verb: "experienced", object: testCourse + "/lessons/l1", at: time.Duration(i) * time.Minute})
	}
	store := newMemStore(j)
	arrived := 0
	store.arrive = func() {
		if arrived < 2 {
			arrived++
			j.add(st{actor: ann, verb: "experienced", object: testCourse + "/lessons/l2", at: time.Duration(arrived) * time.Hour})
		}
	}
	w := NewWorker(store, nil)
	if err := w.CatchUp(ctx); err != nil {
		t.Fatalf("CatchUp = %v", err)
	}
	if store.applyRuns != 1 || store.cursor != 3 {
		t.Errorf("CatchUp applied %d batches, up to seq %d; want 1 batch, up to 3", store.applyRuns, store.cursor)
	}
	if err := w.CatchUp(ctx); err != nil {
		t.Fatalf("CatchUp = %v", err)
	}
	if store.applyRuns != 2 || store.cursor != 4 {
		t.Errorf("the next CatchUp applied %d batches in all, up to seq %d; want 2, up to 4", store.applyRuns, store.cursor)
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{"", 0, false},
		{"PT5M", 5 * time.Minute, false},
		{"PT1H2M3.5S", time.Hour + 2*time.Minute + 3500*time.Millisecond, false},
		{"P1DT1S", 24*time.Hour + time.Second, false},
		{"PT0,25S", 250 * time.Millisecond, false},
		{"5M", 0, true},
		{"PT5", 0, true},
		{"PT5X", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("ParseDuration(%q) = %v, %v, want %v, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestMatcherCourse(t *testing.T) {
	m := NewMatcher([]Course{{ID: "https://e.org/c"}, {ID: "https://e.org/c/advanced"}})
	tests := []struct{ id, course, rest string }{
		{"https://e.org/c", "https://e.org/c", ""},
		{"https://e.org/c/lessons/a", "https://e.org/c", "lessons/a"},
		{"https://e.org/c?attemptId=x", "https://e.org/c", "attemptId=x"},
		{"https://e.org/c/advanced/lessons/b", "https://e.org/c/advanced", "lessons/b"},
		{"https://e.org/cx/lessons/a", "", ""},
		{"https://e.org/", "", ""},
	}
	for _, tt := range tests {
		course, rest, _ := m.Course(tt.id)
		if course != tt.course || rest != tt.rest {
			t.Errorf("Course(%q) = %q, %q, want %q, %q", tt.id, course, rest, tt.course, tt.rest)
		}
	}
}

// A statement and the one voiding it in one batch: the statement may come
// from memory, read before it was voided, and not say it is voided. Its
// facts are not folded.
func TestWorkerVoidedInBatch(t *testing.T) {
	ctx := context.Background()
	j := &journey{}
	j.add(st{actor: carol, verb: "experienced", object: testCourse + "/lessons/l1"})
	pass := j.add(st{actor: carol, verb: "passed", object: testCourse, at: time.Minute, score: ptr(0.9), success: ptr(true)})
	j.add(st{actor: carol, verb: "voided", voids: pass, at: 2 * time.Minute})
	j.stmts[1].Voided = false // as the statement was committed
	store := newMemStore(j)
	if err := NewWorker(store, nil).CatchUp(ctx); err != nil {
		t.Fatalf("CatchUp = %v", err)
	}
	if store.applyRuns != 1 {
		t.Errorf("Apply ran %d times, want 1 batch", store.applyRuns)
	}
	if _, ok := store.facts[pass]; ok {
		t.Errorf("the voided statement's fact is kept")
	}
	want := row{Status: InProgress, Lessons: 1, Score: "-", Latest: "-", Regs: 1, Name: "Carol"}
	if got := rowOf(store.learners[Key{testCourse, carolIFI}]); got != want {
		t.Errorf("Carol's progress = %+v, want %+v", got, want)
	}
}
