package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs coursekit in-process and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCLI(t *testing.T) {
	broken := filepath.Join(t.TempDir(), "broken")
	writeFiles(t, broken, map[string]string{
		"course.yaml": "id: https://example.org/c\ntitle: T\nlanguage: en\nversion: 1.0.0\n" +
			"outline:\n  - section: s\n    title: S\n    lessons: [a, b]\n",
		"lessons/a.md": "---\ntitle: A\ntitel: typo\n---\n\n[x](missing.md)\n",
	})
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout []string // substrings, in order
		wantStderr []string
	}{
		{"no args", nil, exitUsage, nil, []string{"Usage:", "lint"}},
		{"help", []string{"help"}, exitOK, []string{"Commands:", "lint", "new", "version"}, nil},
		{"-h", []string{"-h"}, exitOK, []string{"Commands:"}, nil},
		{"help lint", []string{"help", "lint"}, exitOK, []string{"Usage: coursekit lint", "-format"}, nil},
		{"help unknown", []string{"help", "frobnicate"}, exitUsage, nil, []string{`unknown command "frobnicate"`}},
		{"unknown command", []string{"frobnicate"}, exitUsage, nil, []string{`unknown command "frobnicate"`, "coursekit help"}},
		{"version", []string{"version"}, exitOK, []string{"coursekit "}, nil},
		{"--version", []string{"--version"}, exitOK, []string{"coursekit "}, nil},
		{"version -h", []string{"version", "-h"}, exitOK, []string{"Usage: coursekit version"}, nil},
		{"lint -h", []string{"lint", "-h"}, exitOK, []string{"Usage: coursekit lint", "FILE:LINE:COL"}, nil},
		{"new -h", []string{"new", "-h"}, exitOK, []string{"Usage: coursekit new", "-title"}, nil},
		{"courses no subcommand", []string{"courses"}, exitUsage, nil, []string{"courses needs a subcommand: add or list", "coursekit courses -h"}},
		{"courses unknown subcommand", []string{"courses", "x"}, exitUsage, nil, []string{`unknown courses subcommand "x"; use add or list`}},
		{"courses -h", []string{"courses", "-h"}, exitOK, []string{"Usage:", "coursekit courses add"}, nil},
		{"credentials no subcommand", []string{"credentials"}, exitUsage, nil, []string{"credentials needs a subcommand: create, list or revoke"}},
		{"credentials unknown subcommand", []string{"credentials", "nope"}, exitUsage, nil, []string{`unknown credentials subcommand "nope"; use create, list or revoke`}},
		{"credentials --help", []string{"credentials", "--help"}, exitOK, []string{"Usage:", "coursekit credentials revoke"}, nil},
		{"lint unknown flag", []string{"lint", "--frobnicate", "x"}, exitUsage, nil, []string{"flag provided but not defined: -frobnicate", "coursekit lint -h"}},
		{"pprof only on loopback", []string{"serve", "--pprof", "0.0.0.0:6060"}, exitUsage, nil, []string{"not a loopback address"}},
		{"bench only against loopback", []string{"bench", "--credential", "k:s", "--endpoint", "http://192.0.2.1/xapi/"}, exitUsage, nil, []string{"not a loopback address"}},
		{"bad flag value prints no usage", []string{"build", "--stats=maybe", "x"}, exitUsage, nil, []string{"invalid boolean value"}},
		{"new unknown flag", []string{"new", "-x", "dir"}, exitUsage, nil, []string{"flag provided but not defined: -x"}},
		{"lint no dir", []string{"lint"}, exitUsage, nil, []string{"lint takes one course folder"}},
		{"lint two dirs", []string{"lint", "a", "b"}, exitUsage, nil, []string{"lint takes one course folder, got 2"}},
		{"lint bad format", []string{"lint", "--format", "xml", "x"}, exitUsage, nil, []string{`unknown --format "xml"`}},
		{"lint missing dir", []string{"lint", filepath.Join(broken, "nope")}, exitFailure, nil, []string{"no such file or directory"}},
		{"lint clean", []string{"lint", "../../content/peer-support-training"}, exitOK,
			[]string{`../../content/peer-support-training: ok: "Peer Support Training"`, "12 lessons"}, nil},
		{"lint broken", []string{"lint", broken}, exitFailure, []string{
			broken + "/course.yaml:8:18: lesson \"b\" is in the outline but lessons/b.md does not exist",
			broken + "/lessons/a.md:3:1: unknown key \"titel\" in the front matter; did you mean \"title\"?",
			broken + "/lessons/a.md:6:1: link \"missing.md\" points to a lesson that does not exist",
		}, []string{"3 problems in 2 files"}},
		{"lint flags after dir", []string{"lint", broken, "--format", "json"}, exitFailure, []string{`"ok": false`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr := checkCLI(t, tt.args, tt.wantCode, tt.wantStdout, tt.wantStderr)
			if n := strings.Count(stdout+stderr, "Usage:"); n > 1 {
				t.Errorf("usage printed %d times", n)
			}
			if tt.wantCode == exitUsage && stdout != "" {
				t.Errorf("a usage error printed to stdout:\n%s", stdout)
			}
		})
	}
}

func TestLintJSON(t *testing.T) {
	code, stdout, _ := runCLI(t, "lint", "--format", "json", "../../content/peer-support-training")
	if code != exitOK {
		t.Fatalf("exit code = %d, want 0", code)
	}
	var r lintReport
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	if !r.OK || len(r.Problems) != 0 || r.Summary == nil || r.Summary.Lessons != 12 {
		t.Errorf("report = %+v, want ok with 12 lessons and no problems", r)
	}

	dir := filepath.Join(t.TempDir(), "c")
	writeFiles(t, dir, map[string]string{"course.yaml": "title: [\n"})
	code, stdout, _ = runCLI(t, "lint", "--format", "json", dir)
	if code != exitFailure {
		t.Fatalf("exit code = %d, want 1", code)
	}
	r = lintReport{}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	if r.OK || len(r.Problems) == 0 || r.Problems[0].File != filepath.Join(dir, "course.yaml") || r.Problems[0].Line != 1 {
		t.Errorf("report = %+v, want a problem at %s line 1", r, filepath.Join(dir, "course.yaml"))
	}
}

func TestNewWritesCleanCourse(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "My Course")
	code, stdout, stderr := runCLI(t, "new", "--title", `Safety: "first"`, dir)
	if code != exitOK {
		t.Fatalf("new exit code = %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, "lint", dir)
	if code != exitOK {
		t.Fatalf("lint of the starter course exit code = %d\n%s%s", code, stdout, stderr)
	}
	assertInOrder(t, "stdout", stdout, []string{`ok: "Safety: \"first\""`, "7 questions", "1 reflection", "1 essay"})
	yaml, err := os.ReadFile(filepath.Join(dir, "course.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(yaml), "https://example.org/courses/my-course") {
		t.Errorf("course.yaml does not derive its id from the folder name:\n%s", yaml)
	}

	code, _, stderr = runCLI(t, "new", dir)
	if code != exitFailure || !strings.Contains(stderr, "not empty") {
		t.Errorf("new into a non-empty folder: exit %d, stderr %q; want 1 and a refusal", code, stderr)
	}
}

// checkCLI runs coursekit and checks its exit code and, in order, the
// substrings of its output; it returns the output for further checks.
func checkCLI(t *testing.T, args []string, wantCode int, wantStdout, wantStderr []string) (stdout, stderr string) {
	t.Helper()
	code, stdout, stderr := runCLI(t, args...)
	if code != wantCode {
		t.Errorf("coursekit %q exit code = %d, want %d\nstdout:\n%s\nstderr:\n%s", args, code, wantCode, stdout, stderr)
	}
	assertInOrder(t, "stdout", stdout, wantStdout)
	assertInOrder(t, "stderr", stderr, wantStderr)
	return stdout, stderr
}

func assertInOrder(t *testing.T, name, got string, want []string) {
	t.Helper()
	rest := got
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Errorf("%s does not contain %q (in order)\n%s:\n%s", name, w, name, got)
			return
		}
		rest = rest[i+len(w):]
	}
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
