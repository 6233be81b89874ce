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
	// Authorities are the IFIs of the credentials that stored the
	// learner's statements, sorted: the reports of a credential that may
	// read only its own statements list these learners.
	Authorities []string
	// Session is a registration's sessions, for Extend; zero in a
	// learner's progress.
	Session Session
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
		p.Session = sessionTime(byReg[reg])
		p.TimeSpent = p.Session.Time()
		learner.TimeSpent += p.TimeSpent
		registrations = append(registrations, p)
	}
	learner.Registrations = len(byReg)
	return learner, registrations
}

// Extends tells whether Extend can fold facts into learner, a learner's
// progress: every fact comes after all those folded, in Fold's order (by
// time, then seq; the facts of later statements have higher seqs).
func Extends(learner Progress, facts []Fact) bool {
	for _, f := range facts {
		if f.Time.Before(learner.LastSeen) {
			return false
		}
	}
	return true
}

// Extend folds facts that come after every fact folded into learner (see
// Extends) without reading those again: learner and registrations are
// what Fold returned for the earlier facts (registrations with their
// Session), and Extend returns what Fold returns for all of them.
func Extend(c Course, learner Progress, registrations []Progress, facts []Fact) (Progress, []Progress) {
	if len(facts) == 0 {
		return learner, registrations
	}
	lessons := make(map[string]bool, len(c.Lessons))
	for _, l := range c.Lessons {
		lessons[l.ID] = true
	}
	facts = slices.Clone(facts)
	slices.SortFunc(facts, func(a, b Fact) int {
		return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.Seq, b.Seq))
	})
	la := newAccumulator(learner)
	regs := map[string]*accumulator{}
	sessions := map[string]*Session{}
	lastAt := map[string]time.Time{}
	for _, r := range registrations {
		regs[r.Registration] = newAccumulator(r)
		s := r.Session
		sessions[r.Registration], lastAt[r.Registration] = &s, r.LastSeen
	}
	for _, f := range facts {
		la.add(lessons, f)
		ra, ok := regs[f.Registration]
		if !ok {
			ra = newAccumulator(Progress{Lessons: map[string]time.Time{}})
			regs[f.Registration], sessions[f.Registration] = ra, &Session{}
		}
		ra.add(lessons, f)
		last, seen := lastAt[f.Registration]
		sessions[f.Registration].add(f, last, !seen)
		lastAt[f.Registration] = f.Time
	}
	out := la.progress()
	out.TimeSpent = 0
	var outRegs []Progress
	for _, reg := range slices.Sorted(maps.Keys(regs)) {
		p := regs[reg].progress()
		p.Registration, p.Registrations = reg, 1
		p.Session = *sessions[reg]
		p.TimeSpent = p.Session.Time()
		out.TimeSpent += p.TimeSpent
		outRegs = append(outRegs, p)
	}
	out.Registrations = len(regs)
	return out, outRegs
}

// fold is Fold without time spent and registrations; facts are in time
// order.
func fold(lessons map[string]bool, facts []Fact) Progress {
	p := Progress{Status: NotStarted, Lessons: map[string]time.Time{}}
	if len(facts) == 0 {
		return p
	}
	a := newAccumulator(p)
	for _, f := range facts {
		a.add(lessons, f)
	}
	return a.progress()
}

// accumulator folds facts in time order into a Progress; it starts from
// nothing (Fold) or from the progress of earlier facts (Extend).
type accumulator struct {
	p                   Progress
	outcome             Status
	groups, authorities map[string]bool
}

// newAccumulator continues p, the progress of earlier facts (or a zero
// Progress).
func newAccumulator(p Progress) *accumulator {
	a := &accumulator{p: p, groups: map[string]bool{}, authorities: map[string]bool{}}
	a.p.Lessons = maps.Clone(p.Lessons)
	if a.p.Lessons == nil {
		a.p.Lessons = map[string]time.Time{}
	}
	if p.Status == Passed || p.Status == Failed {
		a.outcome = p.Status
	}
	for _, g := range p.Groups {
		a.groups[g] = true
	}
	for _, au := range p.Authorities {
		a.authorities[au] = true
	}
	if p.Score != nil {
		s := *p.Score
		a.p.Score = &s
	}
	if p.LatestScore != nil {
		s := *p.LatestScore
		a.p.LatestScore = &s
	}
	return a
}

func (a *accumulator) add(lessons map[string]bool, f Fact) {
	p := &a.p
	if p.Learner == "" {
		p.Course, p.Learner, p.FirstSeen = f.Course, f.Learner, f.Time
	}
	p.LastSeen = f.Time
	if f.Name != "" {
		p.Name = f.Name
	}
	for _, g := range []string{f.GroupName, f.GroupIFI} {
		if g != "" {
			a.groups[g] = true
		}
	}
	if f.Authority != "" {
		a.authorities[f.Authority] = true
	}
	if f.Lesson != "" && lessons[f.Lesson] {
		if _, seen := p.Lessons[f.Lesson]; !seen {
			p.Lessons[f.Lesson] = f.Time
		}
	}
	switch f.Kind {
	case FactPassed, FactFailed:
		p.Attempts++
		a.outcome = Status(f.Kind)
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

func (a *accumulator) progress() Progress {
	p := a.p
	switch {
	case a.outcome != "":
		p.Status = a.outcome
	case p.Completed:
		p.Status = Completed
	default:
		p.Status = InProgress
	}
	p.Groups = slices.Sorted(maps.Keys(a.groups))
	p.Authorities = slices.Sorted(maps.Keys(a.authorities))
	return p
}

// Session is what Extend needs to know of a registration's facts to count
// the time of later ones: the time of its sessions but the last, and the
// state of the last session, which later facts may continue (see Fold).
type Session struct {
	// Closed is the time of the sessions before the last one.
	Closed time.Duration `json:"closed,omitempty"`
	// Ended is true when the last fact was terminated or suspended,
	// EndDuration that statement's duration.
	Ended       bool          `json:"ended,omitempty"`
	EndDuration time.Duration `json:"end,omitempty"`
	// Longest is the longest duration of the last session's passed,
	// failed and completed statements, Span its span so far.
	Longest time.Duration `json:"longest,omitempty"`
	Span    time.Duration `json:"span,omitempty"`
}

// Time is the time spent in all the sessions.
func (s Session) Time() time.Duration {
	switch {
	case s.Ended && s.EndDuration > 0:
		return s.Closed + s.EndDuration
	case s.Longest > 0:
		return s.Closed + s.Longest
	}
	return s.Closed + s.Span
}

// add continues the sessions with f, which comes after the fact at last
// (first: f is the first fact).
func (s *Session) add(f Fact, last time.Time, first bool) {
	switch {
	case first:
	case f.Kind == FactStart || s.Ended:
		*s = Session{Closed: s.Time()}
	default:
		if gap := f.Time.Sub(last); gap > 0 && gap <= IdleGap {
			s.Span += gap
		}
	}
	switch f.Kind {
	case FactPassed, FactFailed, FactCompleted:
		s.Longest = max(s.Longest, f.Duration)
	case FactEnd:
		s.Ended, s.EndDuration = true, f.Duration
	}
}

// sessionTime is the time spent in one registration's facts, in time
// order; see Fold.
func sessionTime(facts []Fact) Session {
	var s Session
	for i, f := range facts {
		var last time.Time
		if i > 0 {
			last = facts[i-1].Time
		}
		s.add(f, last, i == 0)
	}
	return s
}
