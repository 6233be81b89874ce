package main

import (
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeDashboard checks that coursekit serve serves the dashboard at /
// beside the LRS, and not with --no-dashboard.
func TestServeDashboard(t *testing.T) {
	keyFile := filepath.Join(t.TempDir(), "session.key")
	if err := os.WriteFile(keyFile, []byte(strings.Repeat("k", 64)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(srv *server, path string) *http.Response {
		t.Helper()
		resp, err := noRedirect.Get(srv.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	srv := startServer(t, "sqlite:"+filepath.Join(t.TempDir(), "lrs.db"), "--session-key-file", keyFile)
	if r := get(srv, "/"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login?next=%2F" {
		t.Errorf("GET / = %d to %q, want 303 to the login page", r.StatusCode, r.Header.Get("Location"))
	}
	if r := get(srv, "/login"); r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(r.Header.Get("Content-Security-Policy"), "script-src 'none'") {
		t.Errorf("GET /login = %d %v", r.StatusCode, r.Header)
	}
	if r := get(srv, "/api/nothing"); r.StatusCode != http.StatusNotFound || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Errorf("GET /api/nothing = %d %s, want the LRS's JSON 404", r.StatusCode, r.Header.Get("Content-Type"))
	}

	off := startServer(t, "sqlite:"+filepath.Join(t.TempDir(), "lrs.db"), "--no-dashboard")
	if r := get(off, "/login"); r.StatusCode != http.StatusNotFound || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Errorf("--no-dashboard: GET /login = %d %s, want the LRS's JSON 404", r.StatusCode, r.Header.Get("Content-Type"))
	}
}

func TestSessionKey(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	long := strings.Repeat("a", 32)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		name, file, env, want string
		wantErr               bool
	}{
		{name: "file, trimmed", file: write("good", " "+long+"\n"), env: "ignored-because-the-file-wins-xxxxxxxx", want: long},
		{name: "environment", env: long + "b", want: long + "b"},
		{name: "short file", file: write("short", "abc"), wantErr: true},
		{name: "short environment", env: "abc", wantErr: true},
		{name: "missing file", file: filepath.Join(dir, "none"), wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("COURSEKIT_SESSION_KEY", tc.env)
			key, err := sessionKey(tc.file, logger)
			if (err != nil) != tc.wantErr || !tc.wantErr && string(key) != tc.want {
				t.Errorf("sessionKey(%q) with env %q = %q, %v", tc.file, tc.env, key, err)
			}
		})
	}
	t.Setenv("COURSEKIT_SESSION_KEY", "")
	a, _ := sessionKey("", logger)
	b, _ := sessionKey("", logger)
	if len(a) != 32 || string(a) == string(b) {
		t.Errorf("without a key: %d bytes, same twice %v; want 32 random bytes per process", len(a), string(a) == string(b))
	}
}
