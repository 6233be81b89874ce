package packager_test

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The browser tests run our packages in headless Chromium (Debian's
// chromium) under a minimal LMS page that hosts scorm-again, a real SCORM
// run-time, and check what the LMS stored. They need chromium and the npm
// packages in testdata/npm; without them they skip, unless
// COURSEKIT_TEST_BROWSER is set, as .ci/run does, when they fail.

const npmDir = "../testdata/npm/node_modules"

func chromiumPath(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("chromium")
	missing := ""
	switch {
	case err != nil:
		missing = "chromium (apt-get install chromium)"
	case !exists(filepath.Join(npmDir, "scorm-again", "dist", "scorm12.js")) || !exists(filepath.Join(npmDir, "axe-core", "axe.min.js")):
		missing = "scorm-again and axe-core (npm ci --prefix testdata/npm)"
	}
	if missing != "" {
		if os.Getenv("COURSEKIT_TEST_BROWSER") != "" {
			t.Fatalf("browser test needs %s, and COURSEKIT_TEST_BROWSER is set", missing)
		}
		t.Skipf("browser test needs %s; set COURSEKIT_TEST_BROWSER=1 to require it", missing)
	}
	return path
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// newBrowser starts headless Chromium with the flags this project allows:
// no sandbox (root in CI), no GPU, and no background networking, since
// nothing may leave the machine.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
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
	// A bound on the whole test, so a hung page fails instead of hanging CI.
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// serveLMS serves the test LMS, its JavaScript and the extracted packages,
// each under /pkg/NAME/.
func serveLMS(t *testing.T, packages map[string]string) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/lms.html", http.FileServer(http.Dir("testdata/lms")))
	mux.Handle("/driver.js", http.FileServer(http.Dir("testdata/lms")))
	mux.Handle("/vendor/scorm-again/", http.StripPrefix("/vendor/scorm-again/", http.FileServer(http.Dir(filepath.Join(npmDir, "scorm-again", "dist")))))
	mux.Handle("/vendor/axe/", http.StripPrefix("/vendor/axe/", http.FileServer(http.Dir(filepath.Join(npmDir, "axe-core")))))
	for name, dir := range packages {
		prefix := "/pkg/" + name + "/"
		mux.Handle(prefix, http.StripPrefix(prefix, http.FileServer(http.Dir(dir))))
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// extract unpacks one of our own packages into a temporary folder.
func extract(t *testing.T, zipPath string) string {
	t.Helper()
	dir := t.TempDir()
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		dst := filepath.Join(dir, filepath.FromSlash(f.Name))
		if !strings.HasPrefix(dst, dir+string(filepath.Separator)) {
			t.Fatalf("entry %s leaves the folder", f.Name)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out, err := os.Create(dst)
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.Copy(out, rc)
		rc.Close()
		out.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// evalJS evaluates expr in the LMS page, awaiting a promise, and returns
// its value.
func evalJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it is true.
func waitFor(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		log, _ := chromedp.Run(ctx, chromedp.Evaluate[any](`window.lmsLog`))
		t.Fatalf("waiting for %s: %v (LMS log %v)", cond, err, log)
	}
}

// launch opens the LMS page for a SCO and waits until the player is up.
func launch(t *testing.T, ctx context.Context, srv *httptest.Server, std, key, sco string) {
	t.Helper()
	u := fmt.Sprintf("%s/lms.html?std=%s&key=%s&launch=%s", srv.URL, std, key, sco)
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `(() => { try { return drive.ready(); } catch (e) { return false; } })()`)
}

// assertNoAxeViolations runs axe-core on the SCO's current page.
func assertNoAxeViolations(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	violations := evalJS[[]string](t, ctx, `drive.axe()`)
	for _, v := range violations {
		t.Errorf("axe on %s: %s", page, v)
	}
}
