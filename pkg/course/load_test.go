package course_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/coursekit/coursekit/pkg/course"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/broken-courses/*.txtar")

const brokenDir = "../../testdata/broken-courses"

// TestLoadBrokenCourses loads each broken course and compares every reported
// problem, with its position, to the archive's "want" file.
//
// Each archive is laid over the valid course in testdata/broken-courses/base:
// its files replace or add to the base's, a "delete" file lists base files to
// remove, and "want" holds the expected problems, one per line, with paths
// relative to the course folder.
func TestLoadBrokenCourses(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join(brokenDir, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 25 {
		t.Fatalf("found %d broken courses in %s, want at least 25", len(cases), brokenDir)
	}
	for _, file := range cases {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			dir := layCourse(t, ar)
			_, err = course.Load(dir)
			var probs course.Problems
			if !errors.As(err, &probs) {
				t.Fatalf("Load() error = %v, want Problems", err)
			}
			var lines []string
			for _, p := range probs {
				rel, err := filepath.Rel(dir, p.File)
				if err != nil {
					t.Fatal(err)
				}
				p.File = filepath.ToSlash(rel)
				lines = append(lines, p.String())
			}
			got := strings.Join(lines, "\n") + "\n"
			if *update {
				writeWant(t, file, ar, got)
				return
			}
			want := string(archiveFile(ar, "want"))
			if got != want {
				t.Errorf("problems differ\n--- want\n%s--- got\n%s", want, got)
			}
		})
	}
}

// layCourse copies the base course into a temporary folder and applies the
// archive to it.
func layCourse(t *testing.T, ar *txtar.Archive) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "course")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(brokenDir, "base"))); err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		switch f.Name {
		case "want":
		case "delete":
			for _, name := range strings.Fields(string(f.Data)) {
				if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
					t.Fatal(err)
				}
			}
		default:
			name := filepath.Join(dir, filepath.FromSlash(f.Name))
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

func archiveFile(ar *txtar.Archive, name string) []byte {
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data
		}
	}
	return nil
}

func writeWant(t *testing.T, file string, ar *txtar.Archive, want string) {
	t.Helper()
	found := false
	for i := range ar.Files {
		if ar.Files[i].Name == "want" {
			ar.Files[i].Data, found = []byte(want), true
		}
	}
	if !found {
		ar.Files = append(ar.Files, txtar.File{Name: "want", Data: []byte(want)})
	}
	if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadBaseIsValid(t *testing.T) {
	c, err := course.Load(filepath.Join(brokenDir, "base"))
	if err != nil {
		t.Fatalf("Load(base) = %v; the base of the broken courses must be valid", err)
	}
	if got := len(c.Lessons); got != 2 {
		t.Errorf("base has %d lessons, want 2", got)
	}
}
