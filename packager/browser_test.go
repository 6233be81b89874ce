package packager_test

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/coursekit/coursekit/pkg/browsertest"
)

// The browser tests run our packages in headless Chromium (Debian's
// chromium) under a minimal LMS page that hosts scorm-again, a real SCORM
// run-time, and check what the LMS stored. They need chromium and the npm
// packages in testdata/npm; without them they skip, unless
// COURSEKIT_TEST_BROWSER is set, as .ci/run does, when they fail.

// newBrowser starts Chromium if it and the npm packages the LMS loads are
// there.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return browsertest.Start(t, browsertest.Chromium(t, browsertest.IfInstalled, browsertest.SCORMAgain, browsertest.Axe), 3*time.Minute)
}

// serveLMS serves the test LMS, its JavaScript and the extracted packages,
// each under /pkg/NAME/.
func serveLMS(t *testing.T, packages map[string]string) *httptest.Server {
	t.Helper()
	npmDir := browsertest.NodeModules()
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
