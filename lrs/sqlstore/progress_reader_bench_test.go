package sqlstore

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/progress"
)

var progressFill = flag.Int("progress-fill", 20000, "statements BenchmarkProgressReader stores (100 per learner), e.g. 1000000")

// fillCourse is the Peer Support Training course's structure.
func fillCourse(tb testing.TB) progress.Course {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("..", "progress", "testdata", "peer-support-training.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var c progress.Course
	if err := json.Unmarshal(data, &c); err != nil {
		tb.Fatal(err)
	}
	return c
}

// fillLearner returns n statements of learner i in the player's shapes
// (packager/runtime/assets/xapi.js): sessions of initialized, lessons
// experienced in order with their questions answered, suspended and
// resumed, passed or failed, completed, terminated. A third of the
// learners stop partway and go over the lessons they saw again.
func fillLearner(c progress.Course, i, n int) []lrs.Statement {
	rng := rand.New(rand.NewPCG(uint64(i), 7))
	byLesson := map[string][]progress.Question{}
	for _, q := range c.Questions {
		byLesson[q.LessonID] = append(byLesson[q.LessonID], q)
	}
	lessons := len(c.Lessons)
	if i%3 == 0 {
		lessons = 1 + rng.IntN(len(c.Lessons)-1)
	}
	actor := fmt.Sprintf(`{"objectType":"Agent","name":"Learner %d","account":{"homePage":"https://lms.example.org","name":"learner-%06d"}}`, i, i)
	ifi := fmt.Sprintf("account:https://lms.example.org|learner-%06d", i)
	reg := fmt.Sprintf("%08x-0000-4000-8000-%012x", i, 1)
	at := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i%365) * 24 * time.Hour).Add(time.Duration(rng.IntN(600)) * time.Minute)
	out := make([]lrs.Statement, 0, n)
	add := func(verb, object, name, typ, result string) {
		if len(out) >= n {
			return
		}
		at = at.Add(time.Duration(20+rng.IntN(100)) * time.Second)
		id := fmt.Sprintf("%08x-%04x-4000-8000-000000000000", i, len(out))
		js := fmt.Appendf(nil, `{"id":%q,"actor":%s,"verb":{"id":"http://adlnet.gov/expapi/verbs/%s","display":{"en-US":%q}},`+
			`"object":{"objectType":"Activity","id":%q,"definition":{"name":{"en-US":%q},"type":%q}},%s`+
			`"context":{"registration":%q,"contextActivities":{"parent":[{"id":%q}],"grouping":[{"id":%q}]},"platform":"coursekit"},`+
			`"timestamp":%q,"version":"1.0.0"}`,
			id, actor, verb, verb, object, name, typ, result, reg, c.ID, c.ID, at.Format(time.RFC3339Nano))
		out = append(out, lrs.Statement{
			ID: id, JSON: js, Stored: at, ActorIFI: ifi, VerbID: "http://adlnet.gov/expapi/verbs/" + verb,
			ObjectType: "Activity", ObjectID: object, Registration: reg, AuthorityIFI: "account:https://lrs.example.org|bench",
			DirectAgents: []string{ifi}, RelatedAgents: []string{ifi}, RelatedActivities: []string{object, c.ID},
		})
	}
	const course = "http://adlnet.gov/expapi/activities/course"
	add("initialized", c.ID, c.Title, course, "")
	for pass := 0; len(out) < n-3; pass++ {
		for k, l := range c.Lessons[:lessons] {
			add("experienced", l.ActivityID, l.Title, "http://adlnet.gov/expapi/activities/lesson", "")
			for _, q := range byLesson[l.ID] {
				var result string
				switch {
				case q.Kind == progress.KindReflection || q.Kind == progress.KindEssay:
					result = fmt.Sprintf(`"result":{"response":"What I took from this, attempt %d: peer support means walking alongside.","duration":"PT%dM"},`, pass, 1+rng.IntN(9))
				case len(q.Choices) > 0:
					choice := q.Choices[rng.IntN(len(q.Choices))].ID
					result = fmt.Sprintf(`"result":{"response":%q,"success":%t,"duration":"PT%dS"},`, choice, choice == q.Choices[0].ID, 5+rng.IntN(50))
				default:
					result = fmt.Sprintf(`"result":{"response":"answer %d","success":%t,"duration":"PT%dS"},`, rng.IntN(4), rng.IntN(2) == 0, 5+rng.IntN(50))
				}
				add("answered", q.ActivityID, q.Prompt, "http://adlnet.gov/expapi/activities/cmi.interaction", result)
			}
			if k%4 == 3 {
				add("suspended", c.ID, c.Title, course, fmt.Sprintf(`"result":{"duration":"PT%dM"},`, 10+rng.IntN(20)))
				at = at.Add(time.Duration(rng.IntN(48)) * time.Hour)
				add("resumed", c.ID, c.Title, course, "")
			}
		}
		if lessons == len(c.Lessons) {
			score := rng.Float64()
			verb := "failed"
			if score >= 0.8 {
				verb = "passed"
			}
			add(verb, c.ID, c.Title, course, fmt.Sprintf(`"result":{"score":{"scaled":%.2f},"success":%t,"duration":"PT%dM"},`, score, verb == "passed", 30+rng.IntN(60)))
			add("completed", c.ID, c.Title, course, `"result":{"completion":true},`)
		}
	}
	for len(out) < n {
		add("terminated", c.ID, c.Title, course, fmt.Sprintf(`"result":{"duration":"PT%dM"},`, 10+rng.IntN(30)))
	}
	return out
}

// BenchmarkProgressReader measures each report on a store holding
// -progress-fill statements of 100 per learner, folded by the Worker (on
// PostgreSQL, then analyzed).
func BenchmarkProgressReader(b *testing.B) {
	const perLearner = 100
	learners := max(*progressFill/perLearner, 1)
	for _, db := range testDatabases {
		b.Run(db.name, func(b *testing.B) {
			ctx := context.Background()
			s := mustOpen(b, db.dsn(b))
			c := fillCourse(b)
			ps := s.Progress()
			if err := ps.PutCourse(ctx, c); err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			var batch []lrs.Statement
			for i := range learners {
				batch = append(batch, fillLearner(c, i, perLearner)...)
				if len(batch) >= 1000 || i == learners-1 {
					if err := s.InsertStatements(ctx, batch, nil); err != nil {
						b.Fatal(err)
					}
					batch = batch[:0]
				}
			}
			inserted := time.Since(start)
			start = time.Now()
			if err := progress.NewWorker(ps, nil).CatchUp(ctx); err != nil {
				b.Fatal(err)
			}
			if s.d.name == "postgres" {
				// As autovacuum would soon after: without statistics the
				// planner reads a page of responses by sorting them all.
				if _, err := s.w.ExecContext(ctx, `ANALYZE`); err != nil {
					b.Fatal(err)
				}
			}
			b.Logf("%s: %d statements of %d learners stored in %v, folded in %v", db.name, learners*perLearner, learners,
				inserted.Round(time.Second), time.Since(start).Round(time.Second))
			learner := fmt.Sprintf("account:https://lms.example.org|learner-%06d", learners/2)
			for _, m := range []struct {
				name string
				run  func() error
			}{
				{"Courses", func() error { _, err := ps.Courses(ctx, progress.Filter{}); return err }},
				{"Course", func() error { _, err := ps.Course(ctx, progress.Filter{Course: c.ID}); return err }},
				{"Learners/name", func() error {
					_, _, err := ps.Learners(ctx, progress.Filter{Course: c.ID, Sort: "name", Limit: 50})
					return err
				}},
				{"Learners/-last/status", func() error {
					_, _, err := ps.Learners(ctx, progress.Filter{Course: c.ID, Sort: "-last", Status: progress.InProgress, Limit: 50})
					return err
				}},
				{"Learners/search", func() error {
					_, _, err := ps.Learners(ctx, progress.Filter{Course: c.ID, Search: "learner 12", Limit: 50})
					return err
				}},
				{"Learner", func() error { _, err := ps.Learner(ctx, progress.Filter{Learner: learner}); return err }},
				{"Questions", func() error { _, err := ps.Questions(ctx, progress.Filter{Course: c.ID}); return err }},
				{"Responses", func() error {
					_, err := ps.Responses(ctx, progress.Filter{Course: c.ID, Limit: 50})
					return err
				}},
			} {
				b.Run(m.name, func(b *testing.B) {
					for b.Loop() {
						if err := m.run(); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
