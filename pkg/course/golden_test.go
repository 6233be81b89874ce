package course_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/coursekit/coursekit/pkg/course"
)

// TestLoadGolden loads the course that uses every feature of the format and
// compares the whole model, rendered HTML included, to a golden file.
// Run with -update to rewrite it after an intended change.
func TestLoadGolden(t *testing.T) {
	dir := "../../testdata/courses/features"
	c, err := course.Load(dir)
	if err != nil {
		t.Fatalf("Load(%s): %v", dir, err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep the HTML in the golden file readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(dumpCourse(c)); err != nil {
		t.Fatal(err)
	}
	got := buf.Bytes()
	golden := filepath.Join(dir + ".golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("model of %s differs from %s; run go test -update and review the diff\n%s", dir, golden, firstDiff(want, got))
	}
}

// firstDiff shows the first differing line, for a readable failure.
func firstDiff(want, got []byte) string {
	wl, gl := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	for i := range min(len(wl), len(gl)) {
		if !bytes.Equal(wl[i], gl[i]) {
			return "line " + itoa(i+1) + ":\n-want " + string(wl[i]) + "\n+got  " + string(gl[i])
		}
	}
	return "lengths differ"
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// dumpCourse turns the model into plain data. The model has cycles (a lesson
// points at its section), so it cannot be marshalled as it is.
func dumpCourse(c *course.Course) map[string]any {
	var sections []any
	for _, s := range c.Sections {
		var lessons []any
		for _, l := range s.Lessons {
			lessons = append(lessons, dumpLesson(l))
		}
		sections = append(sections, map[string]any{"id": s.ID, "title": s.Title, "description": s.Description, "lessons": lessons})
	}
	return map[string]any{
		"id": c.ID, "title": c.Title, "description": c.Description, "language": c.Language, "version": c.Version,
		"authors": c.Authors, "licence": c.Licence, "masteryScore": c.MasteryScore, "hasMastery": c.HasMastery,
		"completion": c.Completion, "resources": c.Resources, "files": c.Files, "sections": sections,
		"lessonCount": len(c.Lessons),
	}
}

func dumpLesson(l *course.Lesson) map[string]any {
	var body []any
	for _, b := range l.Body {
		switch b := b.(type) {
		case course.HTML:
			body = append(body, map[string]any{"html": string(b)})
		case *course.Question:
			body = append(body, map[string]any{"question": b})
		case *course.Reflection:
			body = append(body, map[string]any{"reflection": b})
		case *course.Essay:
			body = append(body, map[string]any{"essay": b})
		}
	}
	return map[string]any{
		"id": l.ID, "title": l.Title, "file": l.File, "objectives": l.Objectives, "duration": l.Duration.String(),
		"section": l.Section.ID, "exerciseFiles": l.ExerciseFiles, "headings": l.Headings, "body": body,
	}
}
