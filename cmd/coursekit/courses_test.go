package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestCoursesAndReportsCommands(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "lrs.db")
	dir := filepath.Join("..", "..", "content", "peer-support-training")
	const id = "https://courses.coursekit.example/peer-support-training"

	tests := []struct {
		args   []string
		code   int
		stdout []string // in order
	}{
		{[]string{"courses", "list", "--db", db}, exitOK, []string{"ID", "TITLE", "LESSONS"}},
		{[]string{"courses", "add", "--db", db, dir}, exitOK, []string{"registered " + id + " (12 lessons, 17 questions)"}},
		{[]string{"courses", "add", "--db", db, dir}, exitOK, []string{"registered " + id}},
		{[]string{"courses", "list", "--db", db}, exitOK, []string{"ID", "TITLE", id, "Peer Support Training", "1.0.0", "12", "17"}},
		{[]string{"reports", "rebuild", "--db", db}, exitOK, []string{"progress rebuilt from statements up to seq 0"}},
		{[]string{"courses", "add", "--db", db, "course.zip"}, exitUsage, nil},
		{[]string{"courses", "add", "--db", db}, exitUsage, nil},
		{[]string{"courses", "add", "--db", db, t.TempDir()}, exitFailure, nil},
		{[]string{"courses"}, exitUsage, nil},
		{[]string{"courses", "remove"}, exitUsage, nil},
		{[]string{"reports"}, exitUsage, nil},
		{[]string{"reports", "rebuild", "--db", db, "x"}, exitUsage, nil},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCLI(t, tt.args...)
		if code != tt.code {
			t.Errorf("%v = exit %d (%s), want %d", tt.args, code, stderr, tt.code)
			continue
		}
		if tt.stdout != nil {
			assertInOrder(t, strings.Join(tt.args, " "), stdout, tt.stdout)
		}
	}

	code, stdout, _ := runCLI(t, "courses", "list", "--db", db, "--json")
	var courses []struct {
		ID      string `json:"id"`
		Lessons []struct {
			ID string `json:"id"`
		} `json:"lessons"`
	}
	if code != exitOK || json.Unmarshal([]byte(stdout), &courses) != nil || len(courses) != 1 || courses[0].ID != id ||
		len(courses[0].Lessons) != 12 || courses[0].Lessons[0].ID != "introduction" {
		t.Errorf("courses list --json = %d %s", code, stdout)
	}
}

func TestRegisterCourses(t *testing.T) {
	tests := []struct {
		dir     string
		want    []string
		wantErr bool
	}{
		{filepath.Join("..", "..", "content"), []string{"https://courses.coursekit.example/peer-support-training"}, false},
		{filepath.Join("..", "..", "content", "peer-support-training"), []string{"https://courses.coursekit.example/peer-support-training"}, false},
		{t.TempDir(), nil, false},
		{filepath.Join(t.TempDir(), "missing"), nil, true},
	}
	for _, tt := range tests {
		store, err := openStore(t.Context(), "sqlite:"+filepath.Join(t.TempDir(), "lrs.db"), nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := registerCourses(t.Context(), store, tt.dir)
		if (err != nil) != tt.wantErr || strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("registerCourses(%q) = %v, %v, want %v, error %v", tt.dir, got, err, tt.want, tt.wantErr)
		}
		registered, _ := store.Progress().RegisteredCourses(t.Context())
		if len(registered) != len(tt.want) {
			t.Errorf("registerCourses(%q) registered %d courses, want %d", tt.dir, len(registered), len(tt.want))
		}
		store.Close()
	}
}
