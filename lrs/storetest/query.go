package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs"
)

func testFilters(t *testing.T, s lrs.Store) {
	const (
		team = "mbox:mailto:team@example.com"
		reg1 = "9a2a8d5c-65ab-4b1e-9b0c-3c6a3f4b2a11"
		reg2 = "0b7e1c77-3d6f-4a49-8c87-9d4e0f2a6b22"
	)
	s1 := stmt(alice, completed, lesson1, at(1))
	const moodle = "account:https://coursekit.invalid/credentials|moodle"
	s2 := with(stmt(bob, completed, lesson2, at(2)), func(st *lrs.Statement) {
		st.Registration = reg1
		st.AuthorityIFI = moodle
	})
	s3 := with(stmt(alice, attempted, lesson2, at(3)), func(st *lrs.Statement) {
		st.Registration = reg1
		st.RelatedActivities = []string{lesson2, course}
	})
	s4 := with(stmt(carol, attempted, "", at(4)), func(st *lrs.Statement) {
		st.ObjectType, st.ObjectID = "Agent", alice
	})
	// A Group actor with bob as a member: the agent filter matches members.
	s5 := with(stmt(team, completed, lesson1, at(5)), func(st *lrs.Statement) {
		st.DirectAgents = []string{team, bob}
		st.RelatedAgents = []string{team, bob}
	})
	s6 := with(stmt(carol, completed, lesson1, at(6)), func(st *lrs.Statement) {
		st.Registration = reg2
		st.RelatedAgents = []string{carol, alice} // alice as instructor
		st.RelatedActivities = []string{lesson1, course}
	})
	s7 := with(stmt(bob, attempted, "", at(7)), func(st *lrs.Statement) {
		st.ObjectType, st.ObjectID = "StatementRef", s1.ID
	})
	s8 := stmt(alice, completed, lesson1, at(8))
	s9 := voiding(bob, s8.ID, at(9))
	// An anonymous Group (no IFI of its own) with carol as a member, and a
	// SubStatement object.
	s10 := with(stmt("", attempted, "", at(10)), func(st *lrs.Statement) {
		st.ObjectType = "SubStatement"
		st.DirectAgents = []string{carol}
	})
	mustInsert(t, s, s1, s2, s3, s4)
	mustInsert(t, s, s5, s6, s7, s8, s9, s10)

	list := func(stmts ...lrs.Statement) []string { return ids(stmts) }
	µs := time.Microsecond
	tests := []filterTest{
		{lrs.StatementFilter{}, list(s10, s9, s7, s6, s5, s4, s3, s2, s1)},
		{lrs.StatementFilter{Agent: alice}, list(s9, s7, s4, s3, s1)}, // s7 and s9 through s1 and s8
		{lrs.StatementFilter{Agent: alice, RelatedAgents: true}, list(s9, s7, s6, s4, s3, s1)},
		{lrs.StatementFilter{Agent: bob}, list(s9, s7, s5, s2)},
		{lrs.StatementFilter{Agent: team}, list(s5)},
		{lrs.StatementFilter{Agent: carol}, list(s10, s6, s4)},
		{lrs.StatementFilter{Agent: "mbox:mailto:nobody@example.com", RelatedAgents: true}, nil},
		{lrs.StatementFilter{Verb: completed}, list(s9, s7, s6, s5, s2, s1)},
		{lrs.StatementFilter{Activity: lesson1}, list(s9, s7, s6, s5, s1)},
		{lrs.StatementFilter{Activity: course}, nil},
		{lrs.StatementFilter{Activity: course, RelatedActivities: true}, list(s6, s3)},
		{lrs.StatementFilter{Activity: lesson2, RelatedActivities: true}, list(s3, s2)},
		{lrs.StatementFilter{Activity: s1.ID}, nil}, // a StatementRef is not an activity
		{lrs.StatementFilter{Registration: reg1}, list(s3, s2)},
		{lrs.StatementFilter{Authority: moodle}, list(s2)},
		{lrs.StatementFilter{Authority: moodle, Verb: attempted}, nil},
		{lrs.StatementFilter{Since: at(3)}, list(s10, s9, s7, s6, s5, s4)},
		{lrs.StatementFilter{Since: at(3).Add(-µs)}, list(s10, s9, s7, s6, s5, s4, s3)},
		{lrs.StatementFilter{Until: at(3)}, list(s3, s2, s1)},
		{lrs.StatementFilter{Until: at(3).Add(-µs)}, list(s2, s1)},
		{lrs.StatementFilter{Since: at(2), Until: at(5)}, list(s5, s4, s3)},
		{lrs.StatementFilter{Since: at(5), Until: at(5)}, nil},
		{lrs.StatementFilter{Agent: alice, Verb: attempted}, list(s4, s3)}, // s7's target matches alice, not attempted
		{lrs.StatementFilter{Agent: alice, RelatedAgents: true, Activity: course, RelatedActivities: true}, list(s6, s3)},
		{lrs.StatementFilter{Agent: alice, Verb: completed, Activity: lesson1}, list(s9, s7, s1)},
		{lrs.StatementFilter{Verb: completed, Registration: reg2, Since: at(1)}, list(s6)},
		{lrs.StatementFilter{Agent: bob, Activity: lesson1, Until: at(5)}, list(s5)},
	}
	checkFilters(t, s, tests)
}

// filterTest is a filter and the ids it matches, newest first.
type filterTest struct {
	f    lrs.StatementFilter
	want []string
}

// checkFilters runs each filter in both orders, whole and in pages of two.
func checkFilters(t *testing.T, s lrs.Store, tests []filterTest) {
	t.Helper()
	for _, tt := range tests {
		for _, asc := range []bool{false, true} {
			f := tt.f
			f.Ascending = asc
			want := tt.want
			if asc {
				want = reversed(want)
			}
			if got := ids(all(t, s, f)); !slices.Equal(got, want) {
				t.Errorf("Statements(%s) = %v, want %v", describe(f), got, want)
			}
			f.Limit = 2
			var got []string
			for {
				page, cur, err := s.Statements(context.Background(), f)
				if err != nil {
					t.Fatalf("Statements(%s) = %v", describe(f), err)
				}
				got = append(got, ids(page)...)
				if cur == nil {
					break
				}
				f.After = cur
			}
			if !slices.Equal(got, want) {
				t.Errorf("Statements(%s) in pages of 2 = %v, want %v", describe(f), got, want)
			}
		}
	}
}

// describe prints the fields of f that are set.
func describe(f lrs.StatementFilter) string {
	out := ""
	add := func(k string, v any) { out += fmt.Sprintf(" %s=%v", k, v) }
	if f.Agent != "" {
		add("agent", f.Agent)
	}
	if f.RelatedAgents {
		add("related_agents", true)
	}
	if f.Verb != "" {
		add("verb", f.Verb)
	}
	if f.Activity != "" {
		add("activity", f.Activity)
	}
	if f.RelatedActivities {
		add("related_activities", true)
	}
	if f.Registration != "" {
		add("registration", f.Registration)
	}
	if f.Authority != "" {
		add("authority", f.Authority)
	}
	if !f.Since.IsZero() {
		add("since", f.Since.Format(time.RFC3339Nano))
	}
	if !f.Until.IsZero() {
		add("until", f.Until.Format(time.RFC3339Nano))
	}
	if f.Ascending {
		add("ascending", true)
	}
	if f.Limit > 0 {
		add("limit", f.Limit)
	}
	if f.After != nil {
		add("after", f.After.Seq)
	}
	if out == "" {
		return "{}"
	}
	return "{" + out[1:] + "}"
}

// pages follows cursors from f to the end, calling between after each page.
func pages(t *testing.T, s lrs.Store, f lrs.StatementFilter, between func()) (got []string, sizes []int) {
	t.Helper()
	for range 1000 {
		page, cur, err := s.Statements(context.Background(), f)
		if err != nil {
			t.Fatalf("Statements(%s) = %v", describe(f), err)
		}
		got = append(got, ids(page)...)
		sizes = append(sizes, len(page))
		if cur == nil {
			return got, sizes
		}
		if len(page) == 0 {
			t.Fatalf("Statements(%s) returned an empty page with a cursor", describe(f))
		}
		f.After = cur
		if between != nil {
			between()
		}
	}
	t.Fatalf("Statements(%s): more than 1000 pages", describe(f))
	return nil, nil
}

func testPaging(t *testing.T, s lrs.Store) {
	var stmts []lrs.Statement
	for i := range 20 {
		stmts = append(stmts, stmt(alice, completed, lesson1, at(i)))
	}
	mustInsert(t, s, stmts[:12]...)
	mustInsert(t, s, stmts[12:]...)
	newest := reversed(ids(stmts))
	tests := []struct {
		limit     int
		ascending bool
		sizes     []int
	}{
		{1, false, slices.Repeat([]int{1}, 20)},
		{7, false, []int{7, 7, 6}},
		{10, false, []int{10, 10}}, // an exact fit ends without an empty page
		{20, true, []int{20}},
		{21, false, []int{20}},
		{7, true, []int{7, 7, 6}},
		{0, false, []int{20}},
	}
	for _, tt := range tests {
		f := lrs.StatementFilter{Verb: completed, Limit: tt.limit, Ascending: tt.ascending}
		want := newest
		if tt.ascending {
			want = ids(stmts)
		}
		got, sizes := pages(t, s, f, nil)
		if !slices.Equal(got, want) {
			t.Errorf("pages of Statements(%s) = %v, want %v", describe(f), got, want)
		}
		if !slices.Equal(sizes, tt.sizes) {
			t.Errorf("page sizes of Statements(%s) = %v, want %v", describe(f), sizes, tt.sizes)
		}
	}
}

// testPagingWhileInserting pages through statements while more arrive:
// every statement there at the start is seen once, in order.
func testPagingWhileInserting(t *testing.T, s lrs.Store) {
	var before []lrs.Statement
	for i := range 25 {
		before = append(before, stmt(alice, completed, lesson1, at(i)))
	}
	mustInsert(t, s, before...)
	n := 0
	insert := func() {
		var batch []lrs.Statement
		for range 3 {
			n++
			batch = append(batch, stmt(alice, completed, lesson1, at(100+n)))
		}
		mustInsert(t, s, batch...)
	}
	f := lrs.StatementFilter{Agent: alice, Limit: 4}
	got, _ := pages(t, s, f, insert)
	if want := reversed(ids(before)); !slices.Equal(got, want) {
		t.Errorf("descending pages while inserting = %v, want %v", got, want)
	}

	f.Ascending = true
	got, _ = pages(t, s, f, insert)
	seen := map[string]bool{}
	for _, id := range got {
		if seen[id] {
			t.Errorf("ascending pages while inserting: %s twice", id)
		}
		seen[id] = true
	}
	every := all(t, s, lrs.StatementFilter{Agent: alice, Ascending: true})
	// Ascending pages end with the statements that arrived while paging,
	// up to the last insert after the last page.
	if want := ids(every[:min(len(got), len(every))]); !slices.Equal(got, want) {
		t.Errorf("ascending pages while inserting = %v, want %v", got, want)
	}
	if len(got) < len(every)-3 {
		t.Errorf("ascending pages while inserting returned %d of %d statements", len(got), len(every))
	}
}

// testStoredOrder stores statements out of stored order, several with one
// stored time (a batch usually shares one): queries return them by stored
// time, then in the order they were inserted, and pages through a run of
// equal times neither skip nor repeat.
func testStoredOrder(t *testing.T, s lrs.Store) {
	var stmts []lrs.Statement
	for _, n := range []int{5, 1, 3, 3, 3, 3, 3, 0, 4} {
		stmts = append(stmts, stmt(alice, completed, lesson1, at(n)))
	}
	mustInsert(t, s, stmts[:4]...)
	mustInsert(t, s, stmts[4:]...)
	// Oldest first: stored 0, 1, the five stored 3 in insertion order, 4, 5.
	oldest := ids([]lrs.Statement{stmts[7], stmts[1], stmts[2], stmts[3], stmts[4], stmts[5], stmts[6], stmts[8], stmts[0]})
	for _, f := range []lrs.StatementFilter{{}, {Agent: alice}, {Verb: completed}, {Activity: lesson1, RelatedActivities: true}} {
		for _, asc := range []bool{false, true} {
			want := reversed(oldest)
			if asc {
				want = oldest
			}
			for _, limit := range []int{0, 1, 2, 4} {
				f.Ascending, f.Limit = asc, limit
				if got, _ := pages(t, s, f, nil); !slices.Equal(got, want) {
					t.Errorf("pages of Statements(%s) = %v, want %v", describe(f), got, want)
				}
			}
			// Continuing from inside the run of equal times.
			f.Limit = 0
			f.After = &lrs.Cursor{Seq: mustGet(t, s, want[3], false).Seq}
			if got := ids(all(t, s, f)); !slices.Equal(got, want[4:]) {
				t.Errorf("Statements(%s) = %v, want %v", describe(f), got, want[4:])
			}
			f.After = nil
		}
	}
	f := lrs.StatementFilter{Since: at(1), Until: at(3), Ascending: true}
	if got := ids(all(t, s, f)); !slices.Equal(got, oldest[2:7]) {
		t.Errorf("Statements(%s) = %v, want %v", describe(f), got, oldest[2:7])
	}
}
