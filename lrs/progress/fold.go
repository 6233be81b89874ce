package progress

import (
	"cmp"
	"maps"
	"slices"
	"time"
)

// IdleGap is the longest pause between two statements of a session without
// durations that still counts as time spent (see Fold).
const IdleGap = 30 * time.Minute

// Progress is one learner's progress in one course, over one registration
// or all of them.
type Progress struct {
	Course, Learner string
	// Registration is the registration's id for a registration's progress
	// (empty for statements without one), and empty for a learner's.
	Registration string
	// Name is the latest name the learner's statements gave.
	Name   string
	Status Status
	// Completed is true after a completed statement or a pass.
	Completed bool
	// Lessons holds the course's lessons viewed, with when first.
	Lessons map[string]time.Time
	// Score is the best scaled score of the assessment outcomes,
	// LatestScore the latest's; nil without one.
	Score, LatestScore *float64
	// Attempts counts the assessment outcomes (passed and failed).
	Attempts      int
	Registrations int
	TimeSpent     time.Duration
	// FirstSeen and LastSeen are the times of the first and last facts.
	FirstSeen, LastSeen time.Time
	// Groups are the names and IFIs of the groups (context.team) the
	// learner's statements named, sorted.
	Groups []string
}

// Fold computes a learner's progress in course c from their facts, and
// their progress per registration, in the order of the registrations' ids.
//
// The rules:
//   - Status: the latest assessment outcome (passed or failed, by time) if
//     there is one; else Completed after a completed statement; else
//     InProgress. Completed also holds after a pass.
//   - Score: the best scaled score of passed and failed statements;
//     LatestScore the latest one's; Attempts how many there are.
//   - Lessons: lessons of c viewed (experienced, or a lesson that is the
//     object of another statement, as with a SCO per lesson).
//   - TimeSpent: the sum of the sessions' times. A registration's facts,
//     in time order, make sessions: one starts with initialized or resumed
//     (or with the first fact after the previous session ended) and ends
//     with terminated or suspended. A session's time is its terminated or
//     suspended statement's duration; without one, the longest duration of
//     its passed, failed and completed statements (the player reports the
//     time since the session began); without any, the span from its first
//     to its last statement, leaving out pauses longer than IdleGap.
func Fold(c Course, facts []Fact) (learner Progress, registrations []Progress) {
	lessons := make(map[string]bool, len(c.Lessons))
	for _, l := range c.Lessons {
		lessons[l.ID] = true
	}
	facts = slices.Clone(facts)
	slices.SortFunc(facts, func(a, b Fact) int {
		return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.Seq, b.Seq))
	})
	byReg := map[string][]Fact{}
	for _, f := range facts {
		byReg[f.Registration] = append(byReg[f.Registration], f)
	}
	learner = fold(lessons, facts)
	for _, reg := range slices.Sorted(maps.Keys(byReg)) {
		p := fold(lessons, byReg[reg])
		p.Registration = reg
		p.Registrations = 1
		p.TimeSpent = sessionTime(byReg[reg])
		learner.TimeSpent += p.TimeSpent
		registrations = append(registrations, p)
	}
	learner.Registrations = len(byReg)
	return learner, registrations
}

// fold is Fold without time spent and registrations; facts are in time
// order.
func fold(lessons map[string]bool, facts []Fact) Progress {
	p := Progress{Status: NotStarted, Lessons: map[string]time.Time{}}
	if len(facts) == 0 {
		return p
	}
	p.Course, p.Learner = facts[0].Course, facts[0].Learner
	p.FirstSeen, p.LastSeen = facts[0].Time, facts[len(facts)-1].Time
	p.Status = InProgress
	var outcome Status
	groups := map[string]bool{}
	for _, f := range facts {
		if f.Name != "" {
			p.Name = f.Name
		}
		for _, g := range []string{f.GroupName, f.GroupIFI} {
			if g != "" {
				groups[g] = true
			}
		}
		if f.Lesson != "" && lessons[f.Lesson] {
			if _, seen := p.Lessons[f.Lesson]; !seen {
				p.Lessons[f.Lesson] = f.Time
			}
		}
		switch f.Kind {
		case FactPassed, FactFailed:
			p.Attempts++
			outcome = Status(f.Kind)
			if f.Kind == FactPassed {
				p.Completed = true
			}
			if f.Score != nil {
				s := *f.Score
				p.LatestScore = &s
				if p.Score == nil || s > *p.Score {
					p.Score = &s
				}
			}
		case FactCompleted:
			p.Completed = true
		}
	}
	switch {
	case outcome != "":
		p.Status = outcome
	case p.Completed:
		p.Status = Completed
	}
	p.Groups = slices.Sorted(maps.Keys(groups))
	return p
}

// sessionTime is the time spent in one registration's facts, in time
// order; see Fold.
func sessionTime(facts []Fact) time.Duration {
	var (
		total    time.Duration
		session  []Fact
		ended    bool
		finished = func() {
			total += oneSession(session)
			session = session[:0]
		}
	)
	for _, f := range facts {
		if f.Kind == FactStart || ended {
			finished()
			ended = false
		}
		session = append(session, f)
		if f.Kind == FactEnd {
			ended = true
		}
	}
	finished()
	return total
}

func oneSession(s []Fact) time.Duration {
	if len(s) == 0 {
		return 0
	}
	if last := s[len(s)-1]; last.Kind == FactEnd && last.Duration > 0 {
		return last.Duration
	}
	var longest time.Duration
	for _, f := range s {
		if f.Kind == FactPassed || f.Kind == FactFailed || f.Kind == FactCompleted {
			longest = max(longest, f.Duration)
		}
	}
	if longest > 0 {
		return longest
	}
	var span time.Duration
	for i := 1; i < len(s); i++ {
		if gap := s[i].Time.Sub(s[i-1].Time); gap > 0 && gap <= IdleGap {
			span += gap
		}
	}
	return span
}
