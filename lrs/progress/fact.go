package progress

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/pkg/xapi"
)

// FactKind is what a statement tells of a learner's progress.
type FactKind string

// The kinds of fact, by the statement's verb (the player's statements; see
// packager/runtime/assets/xapi.js).
const (
	// FactViewed: experienced a lesson.
	FactViewed FactKind = "viewed"
	// FactAnswer: answered a question, reflection or essay.
	FactAnswer FactKind = "answer"
	// FactPassed and FactFailed are assessment outcomes of the course (not
	// of a lesson), with the scaled score.
	FactPassed FactKind = "passed"
	FactFailed FactKind = "failed"
	// FactCompleted: completed the course.
	FactCompleted FactKind = "completed"
	// FactStart (initialized, resumed) opens a session, FactEnd
	// (terminated, suspended) closes it with its duration.
	FactStart FactKind = "start"
	FactEnd   FactKind = "end"
	// FactOther is any other statement about the course: it counts as
	// activity (first and last seen, session spans).
	FactOther FactKind = "other"
)

// ADL verbs the player sends.
const adlVerbs = "http://adlnet.gov/expapi/verbs/"

// Fact is what one statement tells of one learner's progress in one course.
type Fact struct {
	StatementID string
	Seq         int64
	Course      string
	// Learner is the actor's IFI (xapi.Agent.IFI), Name the actor's name.
	Learner      string
	Name         string
	Registration string
	Kind         FactKind
	// Lesson is the lesson the statement's object is, Question the
	// question, reflection or essay; empty when it is neither.
	Lesson   string
	Question string
	// Score is result.score.scaled; Success result.success.
	Score    *float64
	Success  *bool
	Response string
	Duration time.Duration
	// Time is the statement's timestamp, or its stored time without one.
	Time time.Time
	// GroupName and GroupIFI are context.team's.
	GroupName string
	GroupIFI  string
	// Authority is the IFI of the credential that stored the statement.
	Authority string
}

// Key is one learner in one course.
type Key struct {
	Course, Learner string
}

// Key returns the fact's course and learner.
func (f Fact) Key() Key { return Key{f.Course, f.Learner} }

// Matcher finds the registered course an activity id belongs to.
type Matcher struct {
	ids map[string]bool
}

// NewMatcher returns a matcher of the courses.
func NewMatcher(courses []Course) *Matcher {
	m := &Matcher{ids: make(map[string]bool, len(courses))}
	for _, c := range courses {
		m.ids[strings.TrimRight(c.ID, "/")] = true
	}
	return m
}

// Course returns the course id an activity id belongs to: the longest
// registered course id it equals or continues with "/", "?" or "#"
// (SCORM's attempt activities are COURSE?attemptId=...), and the rest
// after the separator.
func (m *Matcher) Course(activityID string) (course, rest string, ok bool) {
	id := activityID
	for {
		if m.ids[id] {
			rest = strings.TrimPrefix(activityID, id)
			if rest != "" {
				rest = rest[1:]
			}
			return id, rest, true
		}
		i := strings.LastIndexAny(id, "/?#")
		if i <= 0 {
			return "", "", false
		}
		id = id[:i]
	}
}

// Facts returns what a stored statement tells of progress: one fact for
// the registered course its object or one of its context activities
// (parent, grouping, other) belongs to, or none. A voiding statement tells
// nothing itself (the Worker takes its target's facts out). The error is
// for a statement that cannot be decoded.
func (m *Matcher) Facts(st lrs.Statement) ([]Fact, error) {
	if st.VoidsID != "" || st.Voided || st.ActorIFI == "" {
		return nil, nil
	}
	// Stored statements were validated when stored: only the properties
	// read here are decoded (xapi.Doc), which costs a fraction of strict
	// decoding or of encoding/json; the worker reads every statement.
	doc, err := xapi.ParseDoc(string(st.JSON))
	if err != nil {
		return nil, fmt.Errorf("decode statement %s: %w", st.ID, err)
	}
	defer doc.Release()
	x := doc.Root()
	object, context := x.Get("object"), x.Get("context")
	if t := object.Get("objectType").String(); t != "" && t != "Activity" {
		return nil, nil
	}
	course, rest, ok := m.Course(object.Get("id").String())
	if !ok {
		course, ok = m.contextCourse(context.Get("contextActivities"))
		rest = ""
	}
	if !ok {
		return nil, nil
	}
	actor := x.Get("actor")
	f := Fact{
		StatementID: st.ID, Seq: st.Seq, Course: course, Learner: agentIFI(actor), Name: actor.Get("name").String(),
		Authority: st.AuthorityIFI,
	}
	if f.Learner == "" {
		return nil, nil
	}
	if ts := x.Get("timestamp").String(); ts != "" {
		t, ok := xapi.ParseTimestamp(ts)
		if !ok {
			return nil, fmt.Errorf("decode statement %s: timestamp %q", st.ID, ts)
		}
		f.Time = t
	}
	if f.Time.IsZero() {
		f.Time = st.Stored
	}
	f.Time = f.Time.UTC().Truncate(time.Microsecond)
	if kind, id, found := strings.Cut(rest, "/"); found && !strings.ContainsAny(id, "/?#") {
		switch kind {
		case "lessons":
			f.Lesson = id
		case "interactions":
			f.Question = id
		}
	}
	f.Registration = strings.ToLower(context.Get("registration").String())
	if team := context.Get("team"); team.IsObject() {
		f.GroupName, f.GroupIFI = team.Get("name").String(), agentIFI(team)
	}
	if r := x.Get("result"); r.IsObject() {
		if v, ok := r.Get("score").Get("scaled").Float(); ok {
			f.Score = &v
		}
		if v, ok := r.Get("success").Bool(); ok {
			f.Success = &v
		}
		f.Response = r.Get("response").String()
		f.Duration, _ = ParseDuration(r.Get("duration").String())
	}
	verb := x.Get("verb").Get("id").String()
	f.Kind = FactOther
	switch strings.TrimPrefix(verb, adlVerbs) {
	case "experienced":
		if f.Lesson != "" {
			f.Kind = FactViewed
		}
	case "answered":
		if f.Question != "" {
			f.Kind = FactAnswer
		}
	case "passed", "failed", "completed":
		// An outcome of a lesson (a SCORM package with a SCO per lesson)
		// shows the lesson was viewed; only the course's count as the
		// course's outcome.
		if f.Lesson == "" && f.Question == "" {
			f.Kind = FactKind(strings.TrimPrefix(verb, adlVerbs))
		}
	case "initialized", "resumed":
		f.Kind = FactStart
	case "terminated", "suspended":
		f.Kind = FactEnd
	}
	if f.Kind != FactAnswer {
		f.Response = ""
	}
	return []Fact{f}, nil
}

// contextCourse returns the registered course the first of the context
// activities (parent, grouping, other) that belongs to one belongs to. Each
// list is an array or (xAPI 1.0) one activity.
func (m *Matcher) contextCourse(ca xapi.Value) (string, bool) {
	for _, key := range []string{"parent", "grouping", "other"} {
		list := ca.Get(key)
		if list.IsObject() {
			if course, _, ok := m.Course(list.Get("id").String()); ok {
				return course, true
			}
			continue
		}
		for j := range list.Len() {
			if course, _, ok := m.Course(list.Index(j).Get("id").String()); ok {
				return course, true
			}
		}
	}
	return "", false
}

// agentIFI is the IFI of an agent or group as xapi.Agent.IFI gives it.
func agentIFI(a xapi.Value) string {
	x := xapi.Agent{Mbox: a.Get("mbox").String(), MboxSHA1Sum: a.Get("mbox_sha1sum").String(), OpenID: a.Get("openid").String()}
	if acc := a.Get("account"); acc.IsObject() {
		x.Account = &xapi.Account{HomePage: acc.Get("homePage").String(), Name: acc.Get("name").String()}
	}
	return x.IFI()
}

// ParseDuration reads an ISO 8601 duration as xAPI results carry them
// ("PT1H2M3.5S", "P1DT2H"). Years and months count as 365 and 30 days.
func ParseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	if len(s) < 3 || s[0] != 'P' {
		return 0, fmt.Errorf("duration %q: not ISO 8601", s)
	}
	var total float64
	inTime := false
	num := ""
	for _, r := range s[1:] {
		switch {
		case r == 'T':
			inTime = true
		case r >= '0' && r <= '9' || r == '.' || r == ',':
			if r == ',' {
				r = '.'
			}
			num += string(r)
		default:
			v, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return 0, fmt.Errorf("duration %q: %w", s, err)
			}
			num = ""
			unit := map[bool]map[rune]float64{
				false: {'Y': 365 * 86400, 'M': 30 * 86400, 'W': 7 * 86400, 'D': 86400},
				true:  {'H': 3600, 'M': 60, 'S': 1},
			}[inTime][r]
			if unit == 0 {
				return 0, fmt.Errorf("duration %q: unknown designator %q", s, r)
			}
			total += v * unit
		}
	}
	if num != "" {
		return 0, fmt.Errorf("duration %q: number without designator", s)
	}
	return time.Duration(total * float64(time.Second)).Round(time.Millisecond), nil
}
