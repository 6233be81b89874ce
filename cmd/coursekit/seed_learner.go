package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coursekit/coursekit/pkg/course"
)

// seedCohorts are the groups learners are split into, sent as the
// statements' context.team; each starts at its own point of the window.
var seedCohorts = []struct{ id, name string }{
	{"cohort-a", "Cohort A (North)"},
	{"cohort-b", "Cohort B (Midlands)"},
	{"cohort-c", "Cohort C (South)"},
	{"cohort-d", "Cohort D (Online)"},
}

// journey is one learner taking the course: what the player knows of them
// and of the current registration and session.
type journey struct {
	g     *seedGen
	r     *rand.Rand
	actor *seedAgent
	team  *seedAgent
	cmi5  bool
	// ability raises the chance of a right answer, persistence that of
	// going on to the next lesson.
	ability, persistence float64
	t                    time.Time
	stopped              bool // the clock reached now: the rest has not happened yet
	out                  []seedStatement

	reg        string
	session    string
	started    time.Time // the session's
	viewed     []bool
	answers    map[string]bool // block id → right (questions) or saved
	passed     bool
	completed  bool
	judged     bool // passed or failed sent this session
	lastScore  float64
	registered int
}

// learner returns learner n's statements, oldest first.
func (g *seedGen) learner(n int) []seedStatement {
	r := rand.New(rand.NewPCG(g.seed, uint64(n)+1<<40))
	j := &journey{g: g, r: r}
	first := seedFirstNames[r.IntN(len(seedFirstNames))]
	last := seedLastNames[r.IntN(len(seedLastNames))]
	name := first + " " + last
	// cmi5 launches name learners by LMS account; the xAPI packages of
	// this demo by e-mail address.
	j.cmi5 = r.Float64() < 0.6
	if j.cmi5 {
		j.actor = &seedAgent{ObjectType: "Agent", Name: name, Account: &seedAccount{HomePage: seedHomePage, Name: fmt.Sprintf("learner-%05d", n)}}
	} else {
		local := strings.ToLower(emailPart(first) + "." + emailPart(last))
		j.actor = &seedAgent{ObjectType: "Agent", Name: name, Mbox: fmt.Sprintf("mailto:%s.%d@example.org", local, n)}
	}
	k := r.IntN(len(seedCohorts))
	j.team = &seedAgent{ObjectType: "Group", Name: seedCohorts[k].name, Account: &seedAccount{HomePage: seedHomePage, Name: seedCohorts[k].id}}
	j.ability = 0.55 + 0.45*r.Float64()
	j.persistence = 0.85 + 0.15*math.Sqrt(r.Float64())
	// A cohort starts at its share of the window; its learners start over
	// the following days.
	cohortStart := g.now.Add(-g.window).Add(time.Duration(float64(g.window) * 0.6 * float64(k) / float64(len(seedCohorts))))
	j.t = cohortStart.Add(time.Duration(r.ExpFloat64() * float64(3*24*time.Hour))).Add(time.Duration(r.IntN(12*3600)) * time.Second)

	for attempt := 0; attempt < seedMaxRegistration && !j.stopped; attempt++ {
		outcome := j.registration(attempt)
		retake := 0.0
		switch outcome {
		case "failed":
			retake = 0.6
		case "dropped":
			retake = 0.08
		}
		if r.Float64() >= retake {
			break
		}
		j.ability = math.Min(0.98, j.ability+0.1)
		j.wait(24*time.Hour, 10*24*time.Hour)
	}
	return j.out
}

func emailPart(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
			return r
		}
		return -1
	}, s)
}

// registration takes the course once, over sessions, and says how it
// ended: "done" (completed or passed), "failed" or "dropped".
func (j *journey) registration(attempt int) string {
	g, r := j.g, j.r
	j.reg, j.registered = j.uuid(), j.registered+1
	j.viewed = make([]bool, len(g.lessons))
	j.answers = map[string]bool{}
	j.passed, j.completed = false, false
	next := 0
	retrying := false
	for session := 0; session < 12 && !j.stopped; session++ {
		j.session, j.started, j.judged = j.uuid(), j.t, false
		j.defined("initialized", nil)
		if next > 0 && !retrying && r.Float64() < 0.6 {
			j.view(next-1, 0.2) // the player resumes where the learner was
		}
		quit := false
		switch {
		case retrying:
			// A session to put wrong answers right.
			for i, l := range g.lessons {
				if j.hasWrong(l) {
					j.view(i, 0.3)
				}
			}
		default:
			for range 1 + r.IntN(2) {
				if next >= len(g.lessons) || j.stopped {
					break
				}
				if next > 0 && r.Float64() > j.goOn(next, attempt) {
					quit = true
					break
				}
				j.view(next, 1)
				next++
				for next > 1 && r.Float64() < 0.3 {
					j.view(r.IntN(next-1), 0.3) // back to an earlier lesson
				}
			}
		}
		j.finish()
		switch {
		case j.stopped:
			return "dropped"
		case j.completed || (j.passed && next >= len(g.lessons)):
			j.review()
			return "done"
		case quit:
			return "dropped"
		case next >= len(g.lessons) && !j.passed && len(g.questions) > 0:
			if j.allAnswered() && r.Float64() >= 0.45 {
				return "failed"
			}
			retrying = true
		case next >= len(g.lessons):
			return "done"
		}
		j.wait(2*time.Hour, 4*24*time.Hour)
	}
	return "dropped"
}

// review is a learner who finished coming back, now and then, to look
// at lessons again (the resources most of all).
func (j *journey) review() {
	g, r := j.g, j.r
	for r.Float64() < 0.6 && !j.stopped {
		j.wait(24*time.Hour, 7*24*time.Hour)
		j.session, j.started, j.judged = j.uuid(), j.t, false
		j.defined("initialized", nil)
		j.view(len(g.lessons)-1, 0.5)
		for range r.IntN(4) {
			j.view(r.IntN(len(g.lessons)), 0.3)
		}
		j.finish()
	}
}

// goOn is the chance of going on to lesson i: lower for the review
// lessons, with their written work, and for the resources at the end.
func (j *journey) goOn(i, attempt int) float64 {
	p := j.persistence
	l := j.g.lessons[i]
	for _, b := range l.blocks {
		if b.essay {
			p -= 0.08
		}
	}
	if i == len(j.g.lessons)-1 {
		p -= 0.05
	}
	if attempt > 0 {
		p += 0.03
	}
	return p
}

// wait moves the learner's clock on by min plus an exponential delay
// whose mean is mean.
func (j *journey) wait(min, mean time.Duration) {
	j.t = j.t.Add(min + time.Duration(j.r.ExpFloat64()*float64(mean)))
}

func (j *journey) hasWrong(l seedLesson) bool {
	for _, b := range l.blocks {
		if b.q != nil && !j.answers[b.id] {
			return true
		}
	}
	return false
}

func (j *journey) allAnswered() bool {
	for _, q := range j.g.questions {
		if _, ok := j.answers[q.id]; !ok {
			return false
		}
	}
	return true
}

// view shows lesson i and works through its blocks; share is how much of
// the lesson's time it takes (less when coming back to it).
func (j *journey) view(i int, share float64) {
	g, r := j.g, j.r
	l := g.lessons[i]
	j.send("experienced", l.activity, nil, j.context(false, nil))
	total := time.Duration(l.minutes * share * (0.5 + r.Float64()) * float64(time.Minute))
	step := total / time.Duration(len(l.blocks)+1)
	for _, b := range l.blocks {
		j.t = j.t.Add(step)
		if b.q == nil {
			j.write(b)
			continue
		}
		if right, done := j.answers[b.id]; (done && right) || r.Float64() < 0.03 {
			continue
		}
		// A wrong answer is often checked again at once, sometimes more
		// than once.
		for try := 0; !j.answer(b, 0.2*float64(try)) && try < 3 && r.Float64() < 0.5; try++ {
		}
	}
	j.t = j.t.Add(step)
	j.viewed[i] = true
	j.evaluate()
}

// answer checks a question; bonus raises the chance of a right answer.
func (j *journey) answer(b *seedBlock, bonus float64) bool {
	r := j.r
	p := math.Min(0.99, j.ability*(1-b.difficulty)+0.08+bonus)
	right := r.Float64() < p
	resp, ok := wrongResponse(r, b.q)
	if right || !ok {
		resp, right = rightResponse(r, b.q), true
	}
	latency := time.Duration(8+r.IntN(80))*time.Second + time.Duration(r.IntN(100))*10*time.Millisecond
	j.t = j.t.Add(latency)
	j.send("answered", b.activity, &seedResult{Success: &right, Response: &resp, Duration: duration2004(latency)}, j.context(false, nil))
	j.answers[b.id] = right
	j.evaluate()
	return right
}

// write saves a reflection or essay, most of the time.
func (j *journey) write(b *seedBlock) {
	r := j.r
	if _, done := j.answers[b.id]; done {
		return
	}
	chance := 0.8
	if b.essay {
		chance = 0.7
	}
	if r.Float64() >= chance {
		return
	}
	var text string
	var latency time.Duration
	if b.essay {
		text = essayText(r)
		latency = time.Duration(20+r.IntN(50)) * time.Minute
	} else {
		text = reflectionText(r)
		latency = time.Duration(2+r.IntN(8))*time.Minute + time.Duration(r.IntN(60))*time.Second
	}
	j.t = j.t.Add(latency)
	j.send("answered", b.activity, &seedResult{Response: &text, Duration: duration2004(latency)}, j.context(false, nil))
	j.answers[b.id] = true
}

// evaluate sends passed as soon as the score reaches the mastery score and
// completed as soon as the completion rule is met, as the player does.
func (j *journey) evaluate() {
	g := j.g
	mastery := g.mastery()
	if g.weight > 0 {
		got := 0.0
		for _, q := range g.questions {
			if j.answers[q.id] {
				got += q.q.Weight
			}
		}
		j.lastScore = math.Round(10000*got/g.weight) / 100
		if !j.passed && !j.judged && j.lastScore >= mastery*100-1e-9 {
			j.passed, j.judged = true, true
			j.judgement("passed")
		}
	}
	if j.completed {
		return
	}
	viewed := 0
	for _, v := range j.viewed {
		if v {
			viewed++
		}
	}
	all := viewed == len(g.lessons)
	passed := j.passed || len(g.questions) == 0
	var done bool
	switch c := g.c.Completion; c.Rule {
	case course.CompletedWhenPassed:
		done = passed
	case course.CompletedWhenViewedAndPassed:
		done = all && passed
	case course.CompletedByProgress:
		done = float64(viewed) >= c.Threshold*float64(len(g.lessons))-1e-9
	default:
		done = all
	}
	if done {
		j.completed = true
		yes := true
		j.defined("completed", &seedResult{Completion: &yes, Duration: duration2004(j.t.Sub(j.started))})
	}
}

func (g *seedGen) mastery() float64 {
	if g.c.HasMastery {
		return g.c.MasteryScore
	}
	return seedDefaultMastery
}

func (j *journey) judgement(verb string) {
	success := verb == "passed"
	res := &seedResult{Score: seedScoreOf(j.lastScore, j.cmi5), Success: &success, Duration: duration2004(j.t.Sub(j.started))}
	var ext map[string]any
	if j.cmi5 {
		ext = map[string]any{cmi5MasteryExt: j.g.mastery()}
	}
	j.send(verb, j.unit(), res, j.context(true, res, ext))
}

// finish ends the session: failed when every question is answered below
// the mastery score, then terminated.
func (j *journey) finish() {
	if len(j.g.questions) > 0 && !j.passed && !j.judged && j.allAnswered() {
		j.judged = true
		j.judgement("failed")
	}
	j.t = j.t.Add(time.Duration(5+j.r.IntN(60)) * time.Second)
	j.defined("terminated", &seedResult{Duration: duration2004(j.t.Sub(j.started))})
}

// unit is the launched activity: the cmi5 AU by its id alone, or the
// course with its definition for xAPI packages.
func (j *journey) unit() seedActivity {
	if j.cmi5 {
		return seedActivity{ObjectType: "Activity", ID: j.g.auID}
	}
	return j.g.unit
}

func (j *journey) defined(verb string, res *seedResult) {
	j.send(verb, j.unit(), res, j.context(true, res))
}

// context is cmi5.js's context(): the cmi5 context template (registration,
// the AU in grouping, the session id) with the cmi5 category on defined
// statements, or the launched activity as parent on the others; plus the
// learner's cohort.
func (j *journey) context(defined bool, res *seedResult, ext ...map[string]any) *seedContext {
	c := &seedContext{Registration: j.reg, Team: j.team}
	acts := &seedContextActs{}
	if j.cmi5 {
		acts.Grouping = []seedRef{{j.g.auID}}
		c.Extensions = map[string]any{cmi5SessionExt: j.session}
		if defined {
			acts.Category = []seedRef{{cmi5CategoryID}}
			if res != nil && (res.Success != nil || res.Completion != nil) {
				acts.Category = append(acts.Category, seedRef{cmi5MoveOnID})
			}
		} else {
			acts.Parent = []seedRef{{j.g.auID}}
			acts.Grouping = append(acts.Grouping, seedRef{j.g.c.ID})
		}
	} else if !defined {
		acts.Parent = []seedRef{{j.g.c.ID}}
	}
	for _, e := range ext {
		for k, v := range e {
			c.Extensions[k] = v
		}
	}
	if acts.Parent != nil || acts.Grouping != nil || acts.Category != nil {
		c.ContextActivities = acts
	}
	return c
}

// send adds a statement at the learner's clock, which then moves on; what
// would happen after now does not happen.
func (j *journey) send(verb string, object seedActivity, res *seedResult, ctx *seedContext) {
	if j.stopped || !j.t.Before(j.g.now) {
		j.stopped = true
		return
	}
	j.out = append(j.out, seedStatement{
		ID: j.uuid(), Actor: j.actor, Verb: seedVerb{ID: adlVerbs + verb, Display: map[string]string{"en-US": verb}},
		Object: object, Result: res, Context: ctx, Timestamp: j.t.UTC().Format("2006-01-02T15:04:05.000Z"),
	})
	j.t = j.t.Add(time.Duration(1+j.r.IntN(3000)) * time.Millisecond)
}

// uuid is a random (version 4) UUID from the learner's stream.
func (j *journey) uuid() string {
	a, b := j.r.Uint64(), j.r.Uint64()
	a = a&^(0xf<<12) | 0x4<<12
	b = b&^(0x3<<62) | 0x2<<62
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, a>>16&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

// rightResponse is a right answer in the player's response format.
func rightResponse(r *rand.Rand, q *course.Question) string {
	c := q.Correct
	switch q.Type {
	case course.SingleChoice:
		return c.Choices[0]
	case course.MultipleChoice:
		return strings.Join(inAuthorOrder(q, c.Choices), "[,]")
	case course.Sequencing:
		return strings.Join(c.Choices, "[,]")
	case course.TrueFalse:
		return strconv.FormatBool(c.Bool)
	case course.FillIn:
		t := strings.Join(strings.Fields(c.Texts[r.IntN(len(c.Texts))]), " ")
		if !c.CaseSensitive && r.Float64() < 0.3 {
			t = strings.ToLower(t)
		}
		return t
	case course.Numeric:
		return decimal(c.Min + math.Round((c.Max-c.Min)*r.Float64()*10)/10)
	case course.Matching:
		return matchingResponse(q, c.Pairs)
	}
	return ""
}

func matchingResponse(q *course.Question, pairs []course.Pair) string {
	var out []string
	for _, s := range q.Sources {
		for _, p := range pairs {
			if p.Source == s.ID {
				out = append(out, s.ID+"[.]"+p.Target)
			}
		}
	}
	return strings.Join(out, "[,]")
}

// seedFillInSlips are wrong words learners type into fill-in questions.
var seedFillInSlips = []string{"safety", "support", "confidence", "trust", "recovery", "not sure"}

// wrongResponse is a plausible wrong answer, the likelier ones more often,
// so that the questions report has most common wrong answers; ok is false
// when the question has no wrong answer.
func wrongResponse(r *rand.Rand, q *course.Question) (string, bool) {
	c := q.Correct
	// skewed picks low indexes more often.
	skewed := func(n int) int { return int(float64(n) * r.Float64() * r.Float64()) }
	switch q.Type {
	case course.SingleChoice:
		var wrong []string
		for _, ch := range q.Choices {
			if ch.ID != c.Choices[0] {
				wrong = append(wrong, ch.ID)
			}
		}
		if len(wrong) == 0 {
			return "", false
		}
		return wrong[skewed(len(wrong))], true
	case course.MultipleChoice:
		var right, wrong []string
		for _, ch := range q.Choices {
			if slices.Contains(c.Choices, ch.ID) {
				right = append(right, ch.ID)
			} else {
				wrong = append(wrong, ch.ID)
			}
		}
		picked := append([]string(nil), right...)
		if len(picked) > 1 && (len(wrong) == 0 || r.Float64() < 0.5) {
			i := skewed(len(picked))
			picked = append(picked[:i], picked[i+1:]...)
		} else if len(wrong) > 0 {
			picked = append(picked, wrong[skewed(len(wrong))])
		} else {
			return "", false
		}
		return strings.Join(inAuthorOrder(q, picked), "[,]"), true
	case course.Sequencing:
		if len(c.Choices) < 2 {
			return "", false
		}
		seq := append([]string(nil), c.Choices...)
		i := skewed(len(seq) - 1)
		seq[i], seq[i+1] = seq[i+1], seq[i]
		return strings.Join(seq, "[,]"), true
	case course.TrueFalse:
		return strconv.FormatBool(!c.Bool), true
	case course.FillIn:
		t := seedFillInSlips[skewed(len(seedFillInSlips))]
		for _, ok := range c.Texts {
			if strings.EqualFold(strings.TrimSpace(ok), t) {
				return "", false
			}
		}
		return t, true
	case course.Numeric:
		off := float64(1 + skewed(5))
		if r.Float64() < 0.5 {
			return decimal(c.Min - off), true
		}
		return decimal(c.Max + off), true
	case course.Matching:
		if len(c.Pairs) < 2 {
			return "", false
		}
		pairs := append([]course.Pair(nil), c.Pairs...)
		i := skewed(len(pairs) - 1)
		pairs[i].Target, pairs[i+1].Target = pairs[i+1].Target, pairs[i].Target
		return matchingResponse(q, pairs), true
	}
	return "", false
}
