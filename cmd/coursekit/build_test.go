package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBuildCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "dist")
	code, stdout, stderr := runCLI(t, "build", "../../content/peer-support-training", "--out", out, "--stats")
	if code != exitOK {
		t.Fatalf("build exit %d\n%s%s", code, stdout, stderr)
	}
	want := filepath.Join(out, "peer-support-training-scorm12-1.0.0.zip") + "\n" +
		filepath.Join(out, "peer-support-training-scorm2004-1.0.0.zip") + "\n"
	if stdout != want {
		t.Errorf("stdout = %q, want the two package paths %q", stdout, want)
	}
	assertInOrder(t, "stderr", stderr, []string{"load ", "scorm12", "scorm2004", "total", "peak RSS"})
	for _, line := range strings.Fields(stdout) {
		if _, err := os.Stat(line); err != nil {
			t.Errorf("printed %s, which does not exist: %v", line, err)
		}
	}

	code, stdout, _ = runCLI(t, "build", "--format", "scorm2004", "--sco-per", "lesson", "--out", out, "../../content/peer-support-training")
	if code != exitOK || stdout != filepath.Join(out, "peer-support-training-scorm2004-1.0.0.zip")+"\n" {
		t.Errorf("build --format scorm2004 = exit %d, stdout %q", code, stdout)
	}
}

func TestBuildCommandErrors(t *testing.T) {
	broken := filepath.Join(t.TempDir(), "broken")
	writeFiles(t, broken, map[string]string{"course.yaml": "title: T\n"})
	out := filepath.Join(t.TempDir(), "dist")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr []string
	}{
		{"broken course", []string{"build", broken, "--out", out}, exitFailure,
			[]string{broken + "/course.yaml:1:1: course.yaml has no \"id\"", "nothing was built"}},
		{"unknown format", []string{"build", "--format", "scorm12,aicc", "x"}, exitUsage, []string{`unknown format "aicc"`}},
		{"bad sco-per", []string{"build", "--sco-per", "page", "x"}, exitUsage, []string{`--sco-per must be course or lesson, not "page"`}},
		{"no dir", []string{"build"}, exitUsage, []string{"build takes one course folder"}},
		{"missing dir", []string{"build", filepath.Join(broken, "nope"), "--out", out}, exitFailure, []string{"no such file or directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.wantCode, stdout, stderr)
			}
			assertInOrder(t, "stderr", stderr, tt.wantStderr)
			if _, err := os.Stat(out); err == nil {
				t.Errorf("a failed build created %s", out)
			}
		})
	}
}
