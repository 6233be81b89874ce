package browsertest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/coursekit/coursekit/pkg/browsertest"
)

// outcomeT records whether Chromium skipped or failed the test it was given.
type outcomeT struct {
	testing.TB
	outcome string
}

func (o *outcomeT) Helper()               {}
func (o *outcomeT) Skip(...any)           { o.outcome = "skip"; runtime.Goexit() }
func (o *outcomeT) Skipf(string, ...any)  { o.outcome = "skip"; runtime.Goexit() }
func (o *outcomeT) Fatalf(string, ...any) { o.outcome = "fail"; runtime.Goexit() }

// outcome is "run", "skip" or "fail": what Chromium did to the test.
func outcome(t *testing.T, mode browsertest.Mode, files ...string) string {
	o := &outcomeT{TB: t, outcome: "run"}
	done := make(chan struct{})
	go func() {
		defer close(done)
		browsertest.Chromium(o, mode, files...)
	}()
	<-done
	return o.outcome
}

// TestChromium: an opt-in test skips unless asked for and then fails
// without what it needs; any other skips without it unless
// COURSEKIT_TEST_BROWSER is set.
func TestChromium(t *testing.T) {
	if _, err := exec.LookPath("chromium"); err != nil {
		t.Skip("chromium is not installed")
	}
	if _, err := os.Stat(filepath.Join(browsertest.NodeModules(), browsertest.Axe)); err != nil {
		t.Skip("npm ci --prefix testdata/npm has not been run")
	}
	const absent = "no-such-package/x.js"
	tests := []struct {
		mode           browsertest.Mode
		browser, tools string // COURSEKIT_TEST_BROWSER, COURSEKIT_REQUIRE_TOOLS
		noPath         bool
		file           string
		want           string
	}{
		{browsertest.OptIn, "", "", false, browsertest.Axe, "skip"},
		{browsertest.OptIn, "1", "", false, browsertest.Axe, "run"},
		{browsertest.OptIn, "", "1", false, browsertest.Axe, "run"},
		{browsertest.OptIn, "", "1", false, absent, "fail"},
		{browsertest.OptIn, "1", "", true, browsertest.Axe, "fail"},
		{browsertest.IfInstalled, "", "", false, browsertest.Axe, "run"},
		{browsertest.IfInstalled, "", "", false, absent, "skip"},
		{browsertest.IfInstalled, "", "1", true, browsertest.Axe, "skip"},
		{browsertest.IfInstalled, "1", "", false, absent, "fail"},
		{browsertest.IfInstalled, "1", "", true, browsertest.Axe, "fail"},
	}
	for _, tt := range tests {
		t.Setenv("COURSEKIT_TEST_BROWSER", tt.browser)
		t.Setenv("COURSEKIT_REQUIRE_TOOLS", tt.tools)
		path := os.Getenv("PATH")
		if tt.noPath {
			t.Setenv("PATH", t.TempDir())
		}
		if got := outcome(t, tt.mode, tt.file); got != tt.want {
			t.Errorf("Chromium(mode %d, %q) with COURSEKIT_TEST_BROWSER=%q COURSEKIT_REQUIRE_TOOLS=%q, no chromium %v = %s, want %s",
				tt.mode, tt.file, tt.browser, tt.tools, tt.noPath, got, tt.want)
		}
		t.Setenv("PATH", path)
	}
}
