package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"

	"github.com/coursekit/coursekit/lrs"
)

func activityStore(t *testing.T, s lrs.Store) lrs.ActivityStore {
	t.Helper()
	as, ok := s.(lrs.ActivityStore)
	if !ok {
		t.Fatalf("%T does not implement lrs.ActivityStore", s)
	}
	return as
}

// defining returns st carrying definitions (activity id, JSON pairs) and
// agent names (IFI, name pairs).
func defining(st lrs.Statement, defs []string, names []string) lrs.Statement {
	for i := 0; i < len(defs); i += 2 {
		st.Definitions = append(st.Definitions, lrs.Definition{ActivityID: defs[i], JSON: []byte(defs[i+1])})
	}
	for i := 0; i < len(names); i += 2 {
		st.AgentNames = append(st.AgentNames, lrs.AgentName{IFI: names[i], Name: names[i+1]})
	}
	return st
}

func checkDefinition(t *testing.T, s lrs.ActivityStore, id, want string) {
	t.Helper()
	got, updated, err := s.ActivityDefinition(context.Background(), id)
	if err != nil || string(got) != want || updated.IsZero() {
		t.Errorf("ActivityDefinition(%q) = %s, %v, %v; want %s", id, got, updated, err, want)
	}
}

func checkNames(t *testing.T, s lrs.ActivityStore, ifi string, want ...string) {
	t.Helper()
	got, err := s.AgentNames(context.Background(), ifi)
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("AgentNames(%q) = %q, %v; want %q", ifi, got, err, want)
	}
}

func testLearnDefinitions(t *testing.T, st lrs.Store) {
	s := activityStore(t, st)
	ctx := context.Background()
	if _, _, err := s.ActivityDefinition(ctx, lesson1); !errors.Is(err, lrs.ErrNotFound) {
		t.Errorf("ActivityDefinition(never seen) = %v, want ErrNotFound", err)
	}
	checkNames(t, s, alice)

	// One batch defines lesson1 twice and names alice twice: merged in order.
	a := defining(stmt(alice, completed, lesson1, at(0)),
		[]string{lesson1, `{"name":{"en-US":"Lesson 1"},"type":"http://example.com/types/lesson"}`, course, `{"name":{"en-US":"Course"}}`},
		[]string{alice, "Alice"})
	b := defining(stmt(alice, completed, lesson1, at(0)),
		[]string{lesson1, `{"name":{"en-GB":"Lesson one"},"type":"http://example.com/types/page"}`},
		[]string{alice, "Alice A.", bob, "Bob"})
	mustInsert(t, st, a, b)
	checkDefinition(t, s, lesson1, `{"name":{"en-GB":"Lesson one","en-US":"Lesson 1"},"type":"http://example.com/types/page"}`)
	checkDefinition(t, s, course, `{"name":{"en-US":"Course"}}`)
	checkNames(t, s, alice, "Alice", "Alice A.")
	checkNames(t, s, bob, "Bob")

	// A later batch merges into what is stored; a definition that changes
	// nothing leaves it as it was.
	c := defining(stmt(bob, completed, lesson1, at(1)),
		[]string{lesson1, `{"name":{"en-us":"Lesson One"},"description":{"en-US":"The first"}}`, course, `{"name":{"en-US":"Course"}}`},
		[]string{alice, "Alice"})
	mustInsert(t, st, c)
	checkDefinition(t, s, lesson1, `{"name":{"en-GB":"Lesson one","en-us":"Lesson One"},"description":{"en-US":"The first"},"type":"http://example.com/types/page"}`)
	checkDefinition(t, s, course, `{"name":{"en-US":"Course"}}`)
	checkNames(t, s, alice, "Alice", "Alice A.")

	// A statement already stored is not stored again, and teaches nothing;
	// neither does a call that fails.
	again := defining(a, []string{lesson2, `{"name":{"en-US":"Resent"}}`}, []string{carol, "Carol"})
	mustInsert(t, st, again)
	conflicting := with(a, func(st *lrs.Statement) { st.VerbID = "http://example.com/verbs/other" })
	fresh := defining(stmt(carol, completed, lesson2, at(2)), []string{lesson2, `{"name":{"en-US":"Failed"}}`}, []string{carol, "Carol"})
	if err := st.InsertStatements(ctx, []lrs.Statement{fresh, conflicting}, bytes.Equal); !errors.Is(err, lrs.ErrConflict) {
		t.Fatalf("InsertStatements(conflicting) = %v, want ErrConflict", err)
	}
	if _, _, err := s.ActivityDefinition(ctx, lesson2); !errors.Is(err, lrs.ErrNotFound) {
		t.Errorf("ActivityDefinition(only in a resent statement and a failed call) = %v, want ErrNotFound", err)
	}
	checkNames(t, s, carol)
}

// testConcurrentLearning sends statements that each define another
// language of one activity's name from several goroutines at once: none of
// the merges is lost.
func testConcurrentLearning(t *testing.T, st lrs.Store) {
	s := activityStore(t, st)
	const writers = 8
	var wg sync.WaitGroup
	errs := make([]error, writers)
	start := make(chan struct{})
	want := map[string]string{}
	for w := range writers {
		tag := fmt.Sprintf("x-w%d", w)
		want[tag] = fmt.Sprint("name ", w)
		batch := []lrs.Statement{
			defining(stmt(alice, completed, lesson1, at(w)), []string{lesson1, fmt.Sprintf(`{"name":{%q:%q}}`, tag, want[tag])},
				[]string{alice, fmt.Sprint("Alice ", w)}),
			stmt(bob, completed, lesson2, at(w)),
		}
		wg.Go(func() {
			<-start
			errs[w] = st.InsertStatements(context.Background(), batch, bytes.Equal)
		})
	}
	close(start)
	wg.Wait()
	for w, err := range errs {
		if err != nil {
			t.Errorf("InsertStatements(writer %d) = %v", w, err)
		}
	}
	var names []string
	body := `{"name":{`
	for i, tag := range slices.Sorted(maps.Keys(want)) {
		if i > 0 {
			body += ","
		}
		body += fmt.Sprintf("%q:%q", tag, want[tag])
		names = append(names, fmt.Sprint("Alice ", i))
	}
	checkDefinition(t, s, lesson1, body+"}}")
	checkNames(t, s, alice, names...)
}
