package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coursekit/coursekit/lrs/api"
)

// TestDashboardMount checks that the dashboard gets every path the LRS
// does not route, and that the LRS's routes, their JSON 404s and their
// 405s are the same with and without it.
func TestDashboardMount(t *testing.T) {
	dashboard := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("dashboard " + r.Method + " " + r.URL.Path))
	})
	without := newTestLRS(t, api.Config{})
	with := newTestLRS(t, api.Config{Dashboard: dashboard})
	for _, tc := range []struct {
		method, target string
		// dashboard: the dashboard answers; otherwise the LRS answers as
		// it does without one.
		dashboard bool
	}{
		{"GET", "/", true},
		{"GET", "/learners?course=x", true},
		{"POST", "/login", true},
		{"GET", "/metricsx", true},
		{"GET", "/xapi/about", false},
		{"GET", "/xapi/nothing", false},
		{"GET", "/xapi", false},
		{"DELETE", "/xapi/statements", false},
		{"GET", "/api/reports/courses", false},
		{"GET", "/api", false},
		{"GET", "/cmi5/nothing", false},
		{"GET", "/healthz", false},
		{"GET", "/healthz/x", false},
		{"GET", "/readyz", false},
		{"GET", "/metrics/x", false},
	} {
		got := httptest.NewRecorder()
		with.Handler.ServeHTTP(got, httptest.NewRequest(tc.method, tc.target, nil))
		if tc.dashboard {
			if want := "dashboard " + tc.method + " " + strings.SplitN(tc.target, "?", 2)[0]; got.Code != 200 || got.Body.String() != want {
				t.Errorf("%s %s = %d %q, want the dashboard's %q", tc.method, tc.target, got.Code, got.Body.String(), want)
			}
			continue
		}
		want := httptest.NewRecorder()
		without.Handler.ServeHTTP(want, httptest.NewRequest(tc.method, tc.target, nil))
		if got.Code != want.Code || got.Header().Get("Content-Type") != want.Header().Get("Content-Type") || strings.HasPrefix(got.Body.String(), "dashboard") {
			t.Errorf("%s %s with a dashboard = %d %s %q, without = %d %s", tc.method, tc.target,
				got.Code, got.Header().Get("Content-Type"), got.Body.String(), want.Code, want.Header().Get("Content-Type"))
		}
		if want.Code == http.StatusNotFound && !strings.HasPrefix(got.Header().Get("Content-Type"), "application/json") {
			t.Errorf("%s %s: a 404 that is not JSON", tc.method, tc.target)
		}
	}
}
