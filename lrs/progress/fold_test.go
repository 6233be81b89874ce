package progress

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"
)

// scriptFacts returns the facts of the journeys of script(), by learner.
func scriptFacts(t *testing.T) map[Key][]Fact {
	t.Helper()
	j, _ := script()
	m := NewMatcher(testCourses())
	out := map[Key][]Fact{}
	for _, st := range j.stmts {
		fs, err := m.Facts(st)
		if err != nil {
			t.Fatalf("Facts(%s) = %v", st.ID, err)
		}
		for _, f := range fs {
			out[f.Key()] = append(out[f.Key()], f)
		}
	}
	return out
}

// TestExtend checks that folding a learner's facts in two parts, the
// second with Extend, gives what folding them at once does, at every
// split point of each journey, and of journeys whose sessions end and
// restart at the split.
func TestExtend(t *testing.T) {
	c := testCourses()[0]
	journeys := scriptFacts(t)
	m := time.Minute
	base := Fact{Course: testCourse, Learner: "mbox:mailto:dan@example.org", Registration: reg1}
	at := func(seq int64, d time.Duration, kind FactKind, f func(*Fact)) Fact {
		x := base
		x.Seq, x.StatementID, x.Time, x.Kind = seq, fmt.Sprint(seq), t0.Add(d), kind
		if f != nil {
			f(&x)
		}
		return x
	}
	dur := func(d time.Duration) func(*Fact) { return func(f *Fact) { f.Duration = d } }
	journeys[Key{testCourse, "dan"}] = []Fact{
		at(1, 0, FactStart, nil),
		at(2, m, FactViewed, func(f *Fact) { f.Lesson = "l1" }),
		at(3, 2*m, FactEnd, dur(0)),                    // ends without a duration: the span counts
		at(4, 3*m, FactOther, nil),                     // a session without initialized
		at(5, 3*m, FactCompleted, dur(40*time.Second)), // same time, later seq
		at(6, 2*time.Hour, FactOther, nil),             // after a pause
		at(7, 2*time.Hour+m, FactStart, func(f *Fact) { f.Registration = reg2 }),
		at(8, 2*time.Hour+2*m, FactFailed, func(f *Fact) { f.Registration = reg2; f.Score = ptr(0.4) }),
		at(9, 2*time.Hour+3*m, FactPassed, func(f *Fact) { f.Registration = reg2; f.Score = ptr(0.3); f.Name = "Dan" }),
		at(10, 2*time.Hour+4*m, FactEnd, func(f *Fact) { f.Registration = reg2; f.Duration = 4 * m }),
		at(11, 3*time.Hour, FactViewed, func(f *Fact) { f.Registration = reg2; f.Lesson = "l2"; f.GroupName = "Team B" }),
	}
	for k, facts := range journeys {
		for split := 1; split < len(facts); split++ {
			t.Run(fmt.Sprintf("%s/%d", k.Learner, split), func(t *testing.T) {
				wantL, wantR := Fold(c, facts)
				l, rs := Fold(c, facts[:split])
				if !Extends(l, facts[split:]) {
					t.Fatalf("Extends(Fold(first %d facts), the rest) = false, want true", split)
				}
				gotL, gotR := Extend(c, l, rs, facts[split:])
				if !reflect.DeepEqual(gotL, wantL) {
					t.Errorf("Extend learner =\n%+v, want\n%+v", gotL, wantL)
				}
				if !reflect.DeepEqual(gotR, wantR) {
					t.Errorf("Extend registrations =\n%+v, want\n%+v", gotR, wantR)
				}
			})
		}
	}
}

func TestExtends(t *testing.T) {
	p := Progress{LastSeen: t0.Add(time.Hour)}
	for _, tc := range []struct {
		at   []time.Duration
		want bool
	}{
		{[]time.Duration{time.Hour, 2 * time.Hour}, true},
		{[]time.Duration{2 * time.Hour, time.Hour - time.Microsecond}, false},
		{nil, true},
	} {
		var facts []Fact
		for _, d := range tc.at {
			facts = append(facts, Fact{Time: t0.Add(d)})
		}
		if got := Extends(p, facts); got != tc.want {
			t.Errorf("Extends(last seen 1h, facts at %v) = %v, want %v", tc.at, got, tc.want)
		}
	}
}

// TestWorkerOutOfOrder checks that facts older than those folded (a
// statement with an earlier timestamp stored later) are folded with all
// the learner's facts again, and that later ones are folded into the
// stored progress.
func TestWorkerOutOfOrder(t *testing.T) {
	j := &journey{}
	c := testCourse
	m := time.Minute
	j.add(st{actor: ann, verb: "initialized", object: c, reg: reg1, at: 10 * m})
	j.add(st{actor: ann, verb: "passed", object: c, reg: reg1, at: 12 * m, score: ptr(0.9), duration: "PT2M"})
	j.add(st{actor: ann, verb: "failed", object: c, reg: reg1, at: 11 * m, score: ptr(0.2), duration: "PT1M"}) // earlier
	j.add(st{actor: ann, verb: "experienced", object: c + "/lessons/l1", reg: reg1, at: 13 * m})
	store := newMemStore(j)
	w := NewWorker(store, nil)
	w.batch = 1
	if err := w.CatchUp(context.Background()); err != nil {
		t.Fatalf("CatchUp = %v", err)
	}
	got := rowOf(store.learners[Key{testCourse, annIFI}])
	want := row{Status: Passed, Completed: true, Lessons: 1, Score: "0.9", Latest: "0.9", Attempts: 2, Regs: 1,
		Time: 2 * m, First: 10 * m, Last: 13 * m, Name: "Ann"}
	if got != want {
		t.Errorf("progress = %+v, want %+v", got, want)
	}
	var facts []Fact
	matcher := NewMatcher(testCourses())
	for _, st := range j.stmts {
		fs, err := matcher.Facts(st)
		if err != nil {
			t.Fatal(err)
		}
		facts = append(facts, fs...)
	}
	wantL, wantR := FoldAll(map[string]Course{testCourse: testCourses()[0]}, facts)
	if !reflect.DeepEqual(store.learners[Key{testCourse, annIFI}], wantL[0]) || !reflect.DeepEqual(store.regs[Key{testCourse, annIFI}], wantR) {
		t.Errorf("progress after batches of one =\n%+v %+v, want what folding all at once gives\n%+v %+v",
			store.learners[Key{testCourse, annIFI}], store.regs[Key{testCourse, annIFI}], wantL[0], wantR)
	}
}
