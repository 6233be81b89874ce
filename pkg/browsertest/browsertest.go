// Package browsertest starts Debian's headless Chromium for tests, with the
// flags this project allows, and finds the npm packages the browser tests
// load from testdata/npm (npm ci --prefix testdata/npm).
//
// Only tests import it.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Files under node_modules that browser tests load.
const (
	Axe        = "axe-core/axe.min.js"
	SCORMAgain = "scorm-again/dist/scorm12.js"
)

// Mode says when a browser test runs.
type Mode int

const (
	// IfInstalled runs the test when chromium and the files are there;
	// without them it skips, or fails when COURSEKIT_TEST_BROWSER is set.
	IfInstalled Mode = iota
	// OptIn skips the test unless COURSEKIT_TEST_BROWSER or
	// COURSEKIT_REQUIRE_TOOLS is set, and then fails without chromium or
	// the files.
	OptIn
)

// Chromium returns the path of chromium, or skips or fails the test as
// mode says when it or one of files (paths under NodeModules) is missing.
func Chromium(t testing.TB, mode Mode, files ...string) string {
	t.Helper()
	required, set := os.Getenv("COURSEKIT_TEST_BROWSER") != "", "COURSEKIT_TEST_BROWSER"
	if mode == OptIn {
		if !required && os.Getenv("COURSEKIT_REQUIRE_TOOLS") == "" {
			t.Skip("this browser test runs with COURSEKIT_TEST_BROWSER=1 (it needs chromium and npm ci --prefix testdata/npm)")
		}
		required, set = true, "COURSEKIT_TEST_BROWSER or COURSEKIT_REQUIRE_TOOLS"
	}
	path, err := exec.LookPath("chromium")
	missing := ""
	if err != nil {
		missing = "chromium (apt-get install chromium)"
	} else {
		var pkgs []string
		for _, f := range files {
			if _, err := os.Stat(filepath.Join(NodeModules(), f)); err != nil {
				pkgs = append(pkgs, strings.Split(f, "/")[0])
			}
		}
		if pkgs != nil {
			missing = strings.Join(pkgs, " and ") + " (npm ci --prefix testdata/npm)"
		}
	}
	if missing != "" {
		if required {
			t.Fatalf("browser test needs %s, and %s is set", missing, set)
		}
		t.Skipf("browser test needs %s; set COURSEKIT_TEST_BROWSER=1 to require it", missing)
	}
	return path
}

// NodeModules is testdata/npm/node_modules of the module the working
// directory is in.
func NodeModules() string {
	dir, err := os.Getwd()
	for err == nil {
		if _, serr := os.Stat(filepath.Join(dir, "go.mod")); serr == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			dir = "."
			break
		}
		dir = parent
	}
	return filepath.Join(dir, "testdata", "npm", "node_modules")
}

// ReadFile returns the file under NodeModules, failing the test without it.
func ReadFile(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(NodeModules(), name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Start starts headless Chromium at path with the flags this project
// allows: no sandbox (root in CI), no GPU, and no background networking,
// since nothing may leave the machine. The context it returns drives the
// browser and ends after timeout, so a hung page fails the test instead
// of hanging CI.
func Start(t testing.TB, path string, timeout time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}
