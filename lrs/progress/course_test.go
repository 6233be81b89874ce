package progress

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/coursekit/coursekit/pkg/course"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func TestFromCourse(t *testing.T) {
	c, err := course.Load(filepath.Join("..", "..", "content", "peer-support-training"))
	if err != nil {
		t.Fatalf("Load = %v", err)
	}
	got := FromCourse(c)

	const id = "https://courses.coursekit.example/peer-support-training"
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"id", got.ID, id},
		{"title", got.Title, "Peer Support Training"},
		{"mastery", *got.MasteryScore, 0.8},
		{"lessons", len(got.Lessons), 12},
		{"first lesson", got.Lessons[0], Lesson{ID: "introduction", ActivityID: id + "/lessons/introduction", Title: "Introduction to the Course", Section: "Course Content"}},
		{"last lesson section", got.Lessons[11].Section, "Useful Resources"},
		{"first question lesson", got.Questions[0].LessonID, "review-and-evaluation-1"},
		{"essay prompt", strings.SplitN(got.Questions[0].Prompt, "\n", 2)[0], "Written assignment — my recovery story and peer support"},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("FromCourse %s = %+v, want %+v", tt.name, tt.got, tt.want)
		}
	}
	for _, q := range got.Questions {
		if q.ActivityID != id+"/interactions/"+q.ID {
			t.Errorf("question %s ActivityID = %q", q.ID, q.ActivityID)
		}
		if q.Prompt == "" || containsTag(q.Prompt) {
			t.Errorf("question %s Prompt = %q, want plain text", q.ID, q.Prompt)
		}
		for _, ch := range q.Choices {
			if ch.Text == "" || containsTag(ch.Text) {
				t.Errorf("question %s choice %s Text = %q, want plain text", q.ID, ch.ID, ch.Text)
			}
		}
	}

	golden(t, filepath.Join("testdata", "peer-support-training.json"), got)
}

func containsTag(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '<' {
			return true
		}
	}
	return false
}

// golden compares v's indented JSON with the file, or writes it with -update.
func golden(t *testing.T, path string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update): %v", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from what FromCourse gives (run go test -update and review the diff):\n%s", path, got)
	}
}
