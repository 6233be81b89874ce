package main

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coursekit/coursekit/lrs/lrstest"
)

const sampleCourse = "../../content/peer-support-training"

func TestBuildCMI5AndXAPI(t *testing.T) {
	requireSchemas(t)
	out := filepath.Join(t.TempDir(), "dist")
	code, stdout, stderr := runCLI(t, "build", "--format", "cmi5,xapi", "--au-per", "lesson", "--out", out, sampleCourse)
	want := filepath.Join(out, "peer-support-training-cmi5-1.0.0.zip") + "\n" + filepath.Join(out, "peer-support-training-xapi-1.0.0.zip") + "\n"
	if code != exitOK || stdout != want {
		t.Fatalf("build --format cmi5,xapi = exit %d, stdout %q, want %q\n%s", code, stdout, want, stderr)
	}
	checkCLI(t, []string{"validate", filepath.Join(out, "peer-support-training-cmi5-1.0.0.zip")}, exitOK,
		[]string{"ok: cmi5, 12 AUs, "}, nil)
	checkCLI(t, []string{"validate", filepath.Join(out, "peer-support-training-xapi-1.0.0.zip")}, exitOK,
		[]string{"ok: xAPI (tincan.xml), 1 launch, ", "(schemas not checked)"}, []string{"warning: tincan.xml has no official schema"})
}

// testLRS runs the LRS in-process and returns its endpoint and a function
// that makes credentials.
func testLRS(t *testing.T) (string, func(scopes ...string) string) {
	t.Helper()
	s := lrstest.NewServer(t)
	return s.Endpoint(), func(scopes ...string) string { return s.Credential(t, "moodle", scopes...) }
}

func TestBuildWithLRS(t *testing.T) {
	endpoint, credential := testLRS(t)
	out := filepath.Join(t.TempDir(), "dist")

	// A credential that can read is refused, and nothing is built.
	checkCLI(t, []string{"build", "--lrs-endpoint", endpoint, "--lrs-credential", credential("statements/write", "statements/read"),
		"--out", out, sampleCourse}, exitFailure, nil,
		[]string{"refusing to put this credential in a package: the credential can do more than write statements: its scopes are statements/write,statements/read"})
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused build created the output folder")
	}

	// A write-only credential is baked into both SCORM packages.
	write := credential("statements/write")
	stdout, stderr := checkCLI(t, []string{"build", "--lrs-endpoint", strings.TrimSuffix(endpoint, "/"), "--lrs-credential", write,
		"--format", "scorm12,scorm2004,cmi5", "--out", out, sampleCourse}, exitOK, []string{"scorm12", "scorm2004", "cmi5"}, nil)
	if stderr != "" {
		t.Errorf("a verified credential on loopback gave warnings: %s", stderr)
	}
	for _, path := range strings.Fields(stdout) {
		script := zipEntry(t, path, "coursekit/course.js")
		has := strings.Contains(script, `"lrs":{"endpoint":"`+endpoint+`","auth":"Basic `)
		if want := !strings.Contains(path, "cmi5"); has != want {
			t.Errorf("%s: course.js carries the LRS: %v, want %v", filepath.Base(path), has, want)
		}
	}

	// The credential may come from the environment.
	t.Setenv("COURSEKIT_LRS_CREDENTIAL", write)
	checkCLI(t, []string{"build", "--lrs-endpoint", endpoint, "--format", "scorm12", "--out", out, sampleCourse}, exitOK, []string{"scorm12"}, nil)
}

func TestBuildLRSFlagErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"endpoint without credential", []string{"--lrs-endpoint", "https://lrs.example.org/xapi/"}, "--lrs-endpoint needs --lrs-credential"},
		{"credential without endpoint", []string{"--lrs-credential", "k:s"}, "--lrs-credential needs --lrs-endpoint"},
		{"no SCORM format", []string{"--format", "cmi5,xapi", "--lrs-endpoint", "https://lrs.example.org/xapi/", "--lrs-credential", "k:s"}, "--lrs-endpoint is for SCORM packages"},
		{"bad endpoint", []string{"--lrs-endpoint", "lrs.example.org", "--lrs-credential", "k:s"}, "write the LRS's xAPI base URL"},
		{"bad credential", []string{"--lrs-endpoint", "https://lrs.example.org/xapi/", "--lrs-credential", "ks"}, "write KEY:SECRET"},
		{"bad au-per", []string{"--au-per", "section"}, `--au-per must be course or lesson, not "section"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("COURSEKIT_LRS_CREDENTIAL", "")
			checkCLI(t, append(append([]string{"build"}, tt.args...), sampleCourse), exitUsage, nil, []string{tt.want})
		})
	}
}

func zipEntry(t *testing.T, path, name string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("%s has no %s", path, name)
	return ""
}

// TestBuildHelpHidesTheCredential: usage shows flag defaults, and the
// credential from the environment must not be among them.
func TestBuildHelpHidesTheCredential(t *testing.T) {
	t.Setenv("COURSEKIT_LRS_CREDENTIAL", "key:topsecret")
	_, stdout, stderr := runCLI(t, "build", "-h")
	if strings.Contains(stdout+stderr, "topsecret") || !strings.Contains(stdout+stderr, "--lrs-credential") && !strings.Contains(stdout+stderr, "-lrs-credential") {
		t.Errorf("build -h prints the credential, or no --lrs-credential:\n%s%s", stdout, stderr)
	}
}
