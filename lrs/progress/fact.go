package progress

import (
	"bytes"
	"encoding/json"
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
	var x factStatement
	if err := json.Unmarshal(st.JSON, &x); err != nil {
		return nil, fmt.Errorf("decode statement %s: %w", st.ID, err)
	}
	if x.Object.ObjectType != "" && x.Object.ObjectType != "Activity" {
		return nil, nil
	}
	course, rest, ok := m.Course(x.Object.ID)
	if ca := x.Context.ContextActivities; !ok {
		for _, list := range []activityList{ca.Parent, ca.Grouping, ca.Other} {
			for _, a := range list {
				if course, _, ok = m.Course(a.ID); ok {
					break
				}
			}
			if ok {
				break
			}
		}
	}
	if !ok {
		return nil, nil
	}
	f := Fact{
		StatementID: st.ID, Seq: st.Seq, Course: course, Learner: x.Actor.ifi(), Name: x.Actor.Name,
		Authority: st.AuthorityIFI,
	}
	if f.Learner == "" {
		return nil, nil
	}
	if x.Timestamp != "" {
		t, ok := xapi.ParseTimestamp(x.Timestamp)
		if !ok {
			return nil, fmt.Errorf("decode statement %s: timestamp %q", st.ID, x.Timestamp)
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
	f.Registration = strings.ToLower(x.Context.Registration)
	if t := x.Context.Team; t != nil {
		f.GroupName, f.GroupIFI = t.Name, t.ifi()
	}
	if r := x.Result; r != nil {
		f.Score, f.Success = r.Score.Scaled, r.Success
		if r.Response != nil {
			f.Response = *r.Response
		}
		f.Duration, _ = ParseDuration(r.Duration)
	}
	f.Kind = FactOther
	switch strings.TrimPrefix(x.Verb.ID, adlVerbs) {
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
			f.Kind = FactKind(strings.TrimPrefix(x.Verb.ID, adlVerbs))
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

// factStatement is what Facts reads of a stored statement. Stored
// statements were validated when stored, so they are decoded into just
// these fields, without xapi's strict decoding: the worker folds every
// statement, and that decoding cost about as much as storing it.
type factStatement struct {
	Actor     factAgent                       `json:"actor"`
	Verb      struct{ ID string }             `json:"verb"`
	Object    struct{ ObjectType, ID string } `json:"object"`
	Timestamp string                          `json:"timestamp"`
	Context   struct {
		Registration      string     `json:"registration"`
		Team              *factAgent `json:"team"`
		ContextActivities struct {
			Parent   activityList `json:"parent"`
			Grouping activityList `json:"grouping"`
			Other    activityList `json:"other"`
		} `json:"contextActivities"`
	} `json:"context"`
	Result *struct {
		Score struct {
			Scaled *float64 `json:"scaled"`
		} `json:"score"`
		Success  *bool   `json:"success"`
		Response *string `json:"response"`
		Duration string  `json:"duration"`
	} `json:"result"`
}

type factAgent struct {
	Name        string `json:"name"`
	Mbox        string `json:"mbox"`
	MboxSHA1Sum string `json:"mbox_sha1sum"`
	OpenID      string `json:"openid"`
	Account     *struct {
		HomePage string `json:"homePage"`
		Name     string `json:"name"`
	} `json:"account"`
}

// ifi is the agent's IFI as xapi.Agent.IFI gives it.
func (a *factAgent) ifi() string {
	x := xapi.Agent{Mbox: a.Mbox, MboxSHA1Sum: a.MboxSHA1Sum, OpenID: a.OpenID}
	if a.Account != nil {
		x.Account = &xapi.Account{HomePage: a.Account.HomePage, Name: a.Account.Name}
	}
	return x.IFI()
}

// activityList is a context activities' list: an array or (xAPI 1.0) one
// activity.
type activityList []struct{ ID string }

func (l *activityList) UnmarshalJSON(data []byte) error {
	type list activityList
	if d := bytes.TrimSpace(data); len(d) > 0 && d[0] == '{' {
		var a struct{ ID string }
		if err := json.Unmarshal(d, &a); err != nil {
			return err
		}
		*l = activityList{a}
		return nil
	}
	return json.Unmarshal(data, (*list)(l))
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
