package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/progress"
	"github.com/coursekit/coursekit/pkg/course"
)

// TestBenchCourseStatements checks that with --course every generated
// statement is folded into the course's progress, with lessons viewed and
// questions answered among them.
func TestBenchCourseStatements(t *testing.T) {
	loaded, err := course.Load(filepath.Join("..", "..", "content", "peer-support-training"))
	if err != nil {
		t.Fatal(err)
	}
	c := progress.FromCourse(loaded)
	gen := newStatementGen(1)
	gen.course = benchCourseOf(c)
	var stmts []json.RawMessage
	if err := json.Unmarshal(gen.batch(400), &stmts); err != nil {
		t.Fatalf("batch is not a JSON array: %v", err)
	}
	m := progress.NewMatcher([]progress.Course{c})
	kinds := map[progress.FactKind]int{}
	// Each activity keeps one definition, as a player sends it: one that
	// changed would rewrite the stored definition in every batch.
	defs := map[string]string{}
	for i, raw := range stmts {
		var x struct {
			Object struct {
				ID         string          `json:"id"`
				Definition json.RawMessage `json:"definition"`
			} `json:"object"`
		}
		if err := json.Unmarshal(raw, &x); err != nil {
			t.Fatal(err)
		}
		if d, ok := defs[x.Object.ID]; ok && d != string(x.Object.Definition) {
			t.Fatalf("statement %d: %s defined as %s, earlier as %s", i, x.Object.ID, x.Object.Definition, d)
		}
		defs[x.Object.ID] = string(x.Object.Definition)
		facts, err := m.Facts(lrs.Statement{ID: fmt.Sprint(i), JSON: raw, ActorIFI: "x"})
		if err != nil || len(facts) != 1 || facts[0].Course != c.ID {
			t.Fatalf("statement %d: Facts = %+v, %v; want one fact of %s\n%s", i, facts, err, c.ID, raw)
		}
		kinds[facts[0].Kind]++
	}
	for _, k := range []progress.FactKind{progress.FactViewed, progress.FactAnswer, progress.FactPassed, progress.FactStart, progress.FactEnd} {
		if kinds[k] == 0 {
			t.Errorf("no %s fact among 400 statements (%v)", k, kinds)
		}
	}
}
