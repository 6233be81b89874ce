package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/url"
	"path"

	"github.com/google/uuid"
)

// statementGen makes realistic statements: 1,000 learners taking 200
// activities of a course, with a mix of verbs, results and contexts.
type statementGen struct {
	rng *rand.Rand
	// course, when set, gives the statements' activities (bench --course).
	course *benchCourseIDs
}

// benchCourseIDs are a registered course's activity ids, so that ingested
// statements are folded into progress as a real course's are: lessons
// experienced and attempted, questions answered, the course's outcomes.
type benchCourseIDs struct {
	id                 string
	lessons, questions []string
}

func newStatementGen(seed uint64) *statementGen {
	return &statementGen{rng: rand.New(rand.NewPCG(seed, 0x5eed))}
}

var benchVerbs = []string{"experienced", "attempted", "answered", "completed", "passed", "failed", "initialized", "terminated"}

const benchCourse = "https://courses.coursekit.example/peer-support-training"

func (g *statementGen) batch(n int) []byte {
	var b bytes.Buffer
	b.Grow(n * 900)
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		g.statement(&b)
	}
	b.WriteByte(']')
	return b.Bytes()
}

func (g *statementGen) statement(b *bytes.Buffer) {
	learner := g.rng.IntN(1000)
	activity := g.rng.IntN(200)
	verb := benchVerbs[g.rng.IntN(len(benchVerbs))]
	fmt.Fprintf(b, `{"actor":{"objectType":"Agent","name":"Learner %d","account":{"homePage":"https://lms.example.org","name":"learner-%04d"}},`,
		learner, learner)
	fmt.Fprintf(b, `"verb":{"id":"http://adlnet.gov/expapi/verbs/%s","display":{"en-GB":%q}},`, verb, verb)
	course, object := benchCourse, fmt.Sprintf("%s/activities/a%03d", benchCourse, activity)
	name := fmt.Sprintf("Activity %d", activity)
	if c := g.course; c != nil {
		course = c.id
		switch {
		case (verb == "experienced" || verb == "attempted") && len(c.lessons) > 0:
			object = c.lessons[activity%len(c.lessons)]
		case verb == "answered" && len(c.questions) > 0:
			object = c.questions[activity%len(c.questions)]
		default:
			object = c.id
		}
		// One name per activity, as a course's player sends: a name that
		// changed with every statement would rewrite the stored definition
		// each time (activities.go), which no course does.
		name = path.Base(object)
	}
	fmt.Fprintf(b, `"object":{"objectType":"Activity","id":%q,"definition":{"name":{"en-GB":%q},"type":"http://adlnet.gov/expapi/activities/lesson"}},`,
		object, name)
	if verb == "answered" || verb == "passed" || verb == "failed" || verb == "completed" {
		raw := g.rng.IntN(101)
		response := ""
		if verb == "answered" && g.course != nil {
			response = fmt.Sprintf(`"response":"choice-%d",`, raw%4)
		}
		fmt.Fprintf(b, `"result":{%s"score":{"scaled":%.2f,"raw":%d,"min":0,"max":100},"success":%t,"completion":true,"duration":"PT%dM%dS"},`,
			response, float64(raw)/100, raw, raw >= 80, g.rng.IntN(60), g.rng.IntN(60))
	}
	fmt.Fprintf(b, `"context":{"registration":"%s","platform":"coursekit","language":"en-GB",`, registration(learner))
	fmt.Fprintf(b, `"contextActivities":{"parent":[{"id":%q}],"grouping":[{"id":"%s/sections/s%d"}]}},`,
		course, course, activity%12)
	b.WriteString(`"timestamp":"2026-11-23T10:00:00.000Z"}`)
}

// registration is a stable registration per learner.
func registration(learner int) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, fmt.Appendf(nil, "%s/learner/%d", benchCourse, learner)).String()
}

// query returns a filtered statements query like those a dashboard runs,
// and its kind for the report.
func (g *statementGen) query() (kind, query string) {
	learner := g.rng.IntN(1000)
	agent := fmt.Sprintf(`{"account":{"homePage":"https://lms.example.org","name":"learner-%04d"}}`, learner)
	activity := fmt.Sprintf("%s/activities/a%03d", benchCourse, g.rng.IntN(200))
	q := url.Values{"limit": {"25"}}
	switch g.rng.IntN(4) {
	case 0:
		kind = "agent"
		q.Set("agent", agent)
	case 1:
		kind = "verb"
		q.Set("verb", "http://adlnet.gov/expapi/verbs/"+benchVerbs[g.rng.IntN(len(benchVerbs))])
	case 2:
		kind = "activity + since"
		q.Set("activity", activity)
		q.Set("since", "2026-01-01T00:00:00Z")
	default:
		kind = "agent + related_activities"
		q.Set("agent", agent)
		q.Set("activity", benchCourse)
		q.Set("related_activities", "true")
	}
	return kind, q.Encode()
}

// pagedQuery is a broad query whose pages a client follows through its
// more links: one verb, newest first.
func (g *statementGen) pagedQuery() string {
	q := url.Values{"limit": {"100"}, "verb": {"http://adlnet.gov/expapi/verbs/" + benchVerbs[g.rng.IntN(len(benchVerbs))]}}
	return q.Encode()
}
