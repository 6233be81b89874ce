package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestCredentialsCommands(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "lrs.db")
	code, stdout, stderr := runCLI(t, "credentials", "create", "--db", db, "--name", "Moodle", "--scope", "statements/write")
	if code != exitOK {
		t.Fatalf("create exit %d: %s", code, stderr)
	}
	if !regexp.MustCompile(`^[A-Za-z0-9_-]+:[A-Za-z0-9_-]+\n$`).MatchString(stdout) {
		t.Fatalf("create printed %q, want exactly one KEY:SECRET line", stdout)
	}
	key := strings.Split(stdout, ":")[0]

	code, stdout, _ = runCLI(t, "credentials", "list", "--db", db, "--json")
	var rows []struct {
		Key       string   `json:"key"`
		Name      string   `json:"name"`
		Scopes    []string `json:"scopes"`
		RevokedAt string   `json:"revoked_at"`
	}
	if code != exitOK || json.Unmarshal([]byte(stdout), &rows) != nil || len(rows) != 1 || rows[0].Key != key || rows[0].Name != "Moodle" || rows[0].Scopes[0] != "statements/write" {
		t.Fatalf("list = %d %s", code, stdout)
	}
	if strings.Contains(stdout, "argon2") {
		t.Error("list shows the secret's hash")
	}
	code, stdout, _ = runCLI(t, "credentials", "list", "--db", db)
	assertInOrder(t, "list", stdout, []string{"KEY", "NAME", "SCOPES", key, "Moodle", "statements/write"})

	if code, stdout, _ = runCLI(t, "credentials", "revoke", "--db", db, key); code != exitOK || stdout != "revoked "+key+"\n" {
		t.Errorf("revoke = %d %q", code, stdout)
	}
	_, stdout, _ = runCLI(t, "credentials", "list", "--db", db, "--json")
	if json.Unmarshal([]byte(stdout), &rows) != nil || rows[0].RevokedAt == "" {
		t.Errorf("after revoke, list = %s", stdout)
	}
	if code, _, stderr = runCLI(t, "credentials", "revoke", "--db", db, "nope"); code != exitFailure || !strings.Contains(stderr, "not found") {
		t.Errorf("revoke unknown = %d %q", code, stderr)
	}

	for _, args := range [][]string{
		{"credentials"},
		{"credentials", "rotate"},
		{"credentials", "create", "--db", db, "--name", "x"},
		{"credentials", "create", "--db", db, "--name", "x", "--scope", "statements/delete"},
		{"credentials", "revoke", "--db", db},
	} {
		if code, stdout, _ := runCLI(t, args...); code != exitUsage || stdout != "" {
			t.Errorf("%v = exit %d stdout %q, want a usage error", args, code, stdout)
		}
	}
	if code, _, _ := runCLI(t, "migrate", "--db", db); code != exitOK {
		t.Errorf("migrate exit %d", code)
	}
}
