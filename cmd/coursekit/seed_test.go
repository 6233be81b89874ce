package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs/lrstest"
	"github.com/coursekit/coursekit/lrs/progress"
	"github.com/coursekit/coursekit/lrs/storetest"
	"github.com/coursekit/coursekit/pkg/course"
	"github.com/coursekit/coursekit/pkg/xapi"
)

var seedNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func mustLoadCourse(t *testing.T) *course.Course {
	t.Helper()
	c, err := course.Load("../../content/peer-support-training")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// seedStatements makes n learners' statements as JSON.
func seedStatements(t *testing.T, g *seedGen, n int) [][][]byte {
	t.Helper()
	out := make([][][]byte, n)
	for i := range n {
		sts, err := seedMarshal(g.learner(i))
		if err != nil {
			t.Fatal(err)
		}
		out[i] = sts
	}
	return out
}

func TestSeedGenDeterministic(t *testing.T) {
	c := mustLoadCourse(t)
	window := 42 * 24 * time.Hour
	a := seedStatements(t, newSeedGen(c, 7, seedNow, window), 20)
	b := seedStatements(t, newSeedGen(c, 7, seedNow, window), 20)
	other := seedStatements(t, newSeedGen(c, 8, seedNow, window), 20)
	same, differ := 0, 0
	for i := range a {
		if len(a[i]) == 0 {
			t.Errorf("learner %d has no statements", i)
		}
		if !bytes.Equal(bytes.Join(a[i], nil), bytes.Join(b[i], nil)) {
			t.Errorf("learner %d differs between two runs with the same seed", i)
		}
		if bytes.Equal(bytes.Join(a[i], nil), bytes.Join(other[i], nil)) {
			same++
		} else {
			differ++
		}
	}
	if same > 0 {
		t.Errorf("%d of %d learners are the same with another seed", same, same+differ)
	}
	// A learner does not depend on which learners were made before.
	late := seedStatements(t, newSeedGen(c, 7, seedNow, window), 1)
	g := newSeedGen(c, 7, seedNow, window)
	g.learner(5)
	if again, _ := seedMarshal(g.learner(0)); !bytes.Equal(bytes.Join(again, nil), bytes.Join(late[0], nil)) {
		t.Error("learner 0 depends on the learners made before it")
	}
}

// seedParsed is what the shape checks read of a generated statement.
type seedParsed struct {
	ID    string `json:"id"`
	Actor struct {
		Name    string          `json:"name"`
		Mbox    string          `json:"mbox"`
		Account json.RawMessage `json:"account"`
	} `json:"actor"`
	Verb   struct{ ID string } `json:"verb"`
	Object struct {
		ID         string `json:"id"`
		Definition struct {
			InteractionType         string   `json:"interactionType"`
			CorrectResponsesPattern []string `json:"correctResponsesPattern"`
		} `json:"definition"`
	} `json:"object"`
	Result *struct {
		Success  *bool   `json:"success"`
		Response *string `json:"response"`
		Duration string  `json:"duration"`
		Score    *struct {
			Scaled float64 `json:"scaled"`
		} `json:"score"`
	} `json:"result"`
	Context struct {
		Registration string `json:"registration"`
		Team         struct {
			ObjectType string `json:"objectType"`
			Name       string `json:"name"`
		} `json:"team"`
	} `json:"context"`
	Timestamp time.Time `json:"timestamp"`
}

func TestSeedGenStatements(t *testing.T) {
	c := mustLoadCourse(t)
	const learners = 400
	window := 42 * 24 * time.Hour
	all := seedStatements(t, newSeedGen(c, 1, seedNow, window), learners)

	lessonIndex := map[string]int{}
	for i, l := range c.Lessons {
		lessonIndex[c.ActivityID(course.LessonActivities, l.ID)] = i
	}
	funnel := make([]int, len(c.Lessons))
	var passed, failed, multiReg int
	texts := map[string]bool{}
	nTexts := 0
	teams := map[string]bool{}
	ids := map[string]bool{}
	wrong := map[string]map[string]int{} // question → wrong response → count
	for i, sts := range all {
		// Every batch a learner's statements make passes the LRS's decoder.
		body := append(append([]byte{'['}, bytes.Join(sts, []byte{','})...), ']')
		if _, err := xapi.DecodeStatements(body, xapi.Version103); err != nil {
			t.Fatalf("learner %d: %v\n%s", i, err, body)
		}
		viewed := map[int]bool{}
		regs := map[string]bool{}
		var last time.Time
		for _, raw := range sts {
			var st seedParsed
			if err := json.Unmarshal(raw, &st); err != nil {
				t.Fatal(err)
			}
			if ids[st.ID] {
				t.Fatalf("statement id %s is used twice", st.ID)
			}
			ids[st.ID] = true
			if !st.Timestamp.Before(seedNow) || st.Timestamp.Before(seedNow.Add(-window)) || st.Timestamp.Before(last) {
				t.Fatalf("learner %d: timestamp %s out of order or outside the window", i, st.Timestamp)
			}
			last = st.Timestamp
			if (st.Actor.Mbox == "") == (st.Actor.Account == nil) || st.Actor.Name == "" {
				t.Fatalf("learner %d: actor %s should have a name and either an mbox or an account", i, raw)
			}
			if st.Context.Team.ObjectType != "Group" || st.Context.Registration == "" {
				t.Fatalf("statement without cohort or registration: %s", raw)
			}
			teams[st.Context.Team.Name] = true
			regs[st.Context.Registration] = true
			verb := strings.TrimPrefix(st.Verb.ID, adlVerbs)
			switch verb {
			case "experienced":
				viewed[lessonIndex[st.Object.ID]] = true
			case "passed", "failed":
				sc := st.Result.Score.Scaled
				if verb == "passed" {
					passed++
				} else {
					failed++
				}
				if *st.Result.Success != (verb == "passed") || (sc >= 0.8) != (verb == "passed") || sc < 0 || sc > 1 {
					t.Errorf("%s with success %v and scaled score %v; the mastery score is 0.8", verb, *st.Result.Success, sc)
				}
			case "answered":
				r := st.Result
				if r == nil || r.Response == nil || !strings.HasPrefix(r.Duration, "PT") {
					t.Fatalf("answered without response or duration: %s", raw)
				}
				def := st.Object.Definition
				if def.InteractionType == "long-fill-in" {
					if r.Success != nil || len(*r.Response) < 40 {
						t.Errorf("reflection or essay %s", raw)
					}
					texts[*r.Response] = true
					nTexts++
					continue
				}
				right := *r.Response == def.CorrectResponsesPattern[0]
				if def.InteractionType == "fill-in" || def.InteractionType == "numeric" {
					right = *r.Success // their patterns are not responses
				}
				if *r.Success != right {
					t.Errorf("answered %q with success %v, but the correct pattern is %q", *r.Response, *r.Success, def.CorrectResponsesPattern)
				}
				if !*r.Success {
					if wrong[st.Object.ID] == nil {
						wrong[st.Object.ID] = map[string]int{}
					}
					wrong[st.Object.ID][*r.Response]++
				}
			}
		}
		for l := range viewed {
			funnel[l]++
		}
		if len(regs) > 1 {
			multiReg++
		}
	}
	t.Logf("funnel %v, passed %d, failed %d, re-attempts %d, texts %d (%d distinct)", funnel, passed, failed, multiReg, nTexts, len(texts))
	for i := 1; i < len(funnel); i++ {
		if funnel[i] > funnel[i-1]+learners/20 {
			t.Errorf("funnel %v rises at lesson %d", funnel, i)
		}
	}
	if funnel[0] < learners*9/10 || funnel[len(funnel)-1] > funnel[0]*8/10 || funnel[len(funnel)-1] == 0 {
		t.Errorf("funnel %v: want nearly everyone at the first lesson and a drop-off to the last", funnel)
	}
	if passed < learners/10 || failed == 0 || multiReg == 0 {
		t.Errorf("passed %d, failed %d, learners with several registrations %d: want some of each", passed, failed, multiReg)
	}
	if len(teams) != len(seedCohorts) {
		t.Errorf("cohorts %v, want %d", teams, len(seedCohorts))
	}
	if len(texts) < nTexts*8/10 {
		t.Errorf("%d distinct reflection and essay texts of %d: want them varied", len(texts), nTexts)
	}
	// Wrong answers concentrate on some responses, so that a report's most
	// common wrong answers mean something.
	varied := 0
	for _, counts := range wrong {
		if len(counts) > 1 {
			varied++
		}
	}
	if varied == 0 {
		t.Errorf("no question has more than one kind of wrong answer: %v", wrong)
	}
}

func TestSeedCommand(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "lrs.db")
	course := "../../content/peer-support-training"
	stdout, _ := checkCLI(t, []string{"seed", "--db", db, "--course", course, "--learners", "30", "--workers", "3", "--batch", "50"}, exitOK, nil, nil)
	m := regexp.MustCompile(`^seeded 30 learners: (\d+) statements in [0-9.]+ s .* for https://courses.coursekit.example/peer-support-training\n$`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("seed printed %q", stdout)
	}
	g := newSeedGen(mustLoadCourse(t), 1, time.Now(), 42*24*time.Hour)
	want := 0
	for i := range 30 {
		want += len(g.learner(i))
	}
	// The clock moved on between the two, which can only add statements.
	if n := atoi(t, m[1]); n < want-5 || n > want+5 {
		t.Errorf("seed stored %d statements, the generator makes %d", n, want)
	}
	checkCLI(t, []string{"credentials", "list", "--db", db}, exitOK, []string{"coursekit seed", "statements/write"}, nil)
	checkCLI(t, []string{"seed", "--db", db, "--course", course, "--learners", "5"}, exitFailure, nil, []string{"already holds the activity of --seed 1"})
	checkCLI(t, []string{"seed", "--db", db, "--course", course, "--learners", "5", "--seed", "2"}, exitOK, []string{"seeded 5 learners"}, nil)

	for _, args := range [][]string{
		{"seed", "--db", db},
		{"seed", "--db", db, "--course", course, "--learners", "0"},
		{"seed", "--db", db, "--course", course, "extra"},
	} {
		checkCLI(t, args, exitUsage, nil, []string{"coursekit seed -h"})
	}
	checkCLI(t, []string{"seed", "--db", db, "--course", filepath.Join(t.TempDir(), "none")}, exitFailure, nil, []string{"load course"})
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	if err := json.Unmarshal([]byte(s), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSeedThenReport is the Interface: seed a database, then the
// courses report and the learners report as CSV, a header row and one row
// per learner.
func TestSeedThenReport(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { seedThenReport(t, "sqlite:"+filepath.Join(t.TempDir(), "lrs.db")) })
	t.Run("postgres", func(t *testing.T) { seedThenReport(t, storetest.PostgresDSN(t)) })
}

func seedThenReport(t *testing.T, db string) {
	const id = "https://courses.coursekit.example/peer-support-training"
	checkCLI(t, []string{"seed", "--db", db, "--course", "../../content/peer-support-training", "--learners", "25", "--seed", "3"}, exitOK, []string{"seeded 25 learners"}, nil)
	// The learners with any statement, as the generator makes them.
	g := newSeedGen(mustLoadCourse(t), 3, time.Now(), 42*24*time.Hour)
	learners := map[string]bool{}
	for i := range 25 {
		for _, st := range g.learner(i) {
			a := st.Actor
			if a.Mbox != "" {
				learners["mbox:"+a.Mbox] = true
			} else {
				learners["account:"+a.Account.HomePage+"|"+a.Account.Name] = true
			}
		}
	}

	stdout, _ := checkCLI(t, []string{"report", "courses", "--db", db}, exitOK, []string{"COURSE", "STARTED", id, "Peer Support Training", "12"}, nil)
	if strings.Count(stdout, "\n") != 2 {
		t.Errorf("courses report has %d lines, want a header and one course:\n%s", strings.Count(stdout, "\n"), stdout)
	}
	stdout, _ = checkCLI(t, []string{"report", "courses", "--db", db, "--json"}, exitOK, nil, nil)
	var courses struct{ Courses []progress.CourseSummary }
	if err := json.Unmarshal([]byte(stdout), &courses); err != nil || len(courses.Courses) != 1 || courses.Courses[0].Started != len(learners) {
		t.Errorf("courses JSON = %s, %v; want one course with %d learners started", stdout, err, len(learners))
	}

	stdout, _ = checkCLI(t, []string{"report", "learners", "--db", db, "--course", id, "--csv"}, exitOK, nil, nil)
	recs, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(learners)+1 || recs[0][0] != "learner" || recs[0][2] != "status" {
		t.Fatalf("learners CSV has %d rows, want a header and %d learners:\n%s", len(recs), len(learners), stdout)
	}
	for _, rec := range recs[1:] {
		if !learners[rec[0]] {
			t.Errorf("learners CSV row for %q, who was not seeded", rec[0])
		}
	}

	// The same report from the LRS over HTTP, through the real handlers
	// and the store's reader.
	endpoint, cred := seededServer(t, db)
	remote, _ := checkCLI(t, []string{"report", "learners", "--endpoint", endpoint, "--credential", cred, "--course", id, "--csv"}, exitOK, nil, nil)
	if remote != stdout {
		t.Errorf("learners CSV over HTTP differs from the database's:\n%s\nwant\n%s", remote, stdout)
	}

	// The other reports run on the seeded data.
	checkCLI(t, []string{"report", "questions", "--db", db, "--course", id}, exitOK, []string{"QUESTION", "role-model-term"}, nil)
	checkCLI(t, []string{"report", "responses", "--db", db, "--course", id, "--csv"}, exitOK, []string{"time,learner,name,question_id"}, nil)
	checkCLI(t, []string{"report", "learner", "--db", db, recs[1][0]}, exitOK, []string{"Learner:", "Peer Support Training", "TIME", "VERB"}, nil)
	checkCLI(t, []string{"report", "learners", "--db", db, "--course", "https://example.org/none"}, exitFailure, nil, []string{"unknown course"})
}

// seededServer serves the reports of the database at db over HTTP and
// returns the server's URL and a statements/read credential.
func seededServer(t *testing.T, db string) (endpoint, cred string) {
	t.Helper()
	s := lrstest.NewServer(t, lrstest.DSN(db), lrstest.StoreReports())
	return s.URL, s.Credential(t, "reports", "statements/read")
}
