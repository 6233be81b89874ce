package sqlstore

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/storetest"
)

const postgresHowTo = storetest.PostgresHowTo

func TestStoreSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) lrs.Store { return mustOpenSQLite(t) })
}

func TestStorePostgres(t *testing.T) {
	storetest.Run(t, func(t *testing.T) lrs.Store { return mustOpenPostgres(t) })
}

// mustOpenSQLite opens a store on a new file in t.TempDir().
func mustOpenSQLite(t testing.TB) *Store {
	t.Helper()
	return mustOpen(t, sqliteTestDSN(t))
}

// testDatabases are the databases tests that need a DSN run against.
var testDatabases = []struct {
	name string
	dsn  func(testing.TB) string
}{
	{"sqlite", sqliteTestDSN},
	{"postgres", postgresTestDSN},
}

func sqliteTestDSN(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "coursekit.db")
}

// mustOpenPostgres opens a store on a new schema of the database
// COURSEKIT_TEST_POSTGRES names, dropped when the test ends.
func mustOpenPostgres(t testing.TB) *Store {
	t.Helper()
	return mustOpen(t, postgresTestDSN(t))
}

// postgresTestDSN is a DSN on a schema of the test's own.
func postgresTestDSN(t testing.TB) string {
	t.Helper()
	return storetest.PostgresDSN(t)
}

func mustOpen(t testing.TB, dsn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn, testLogger(t))
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close = %v", err)
		}
	})
	return s
}

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// tWriter sends log lines to t.Log.
type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

// TestOpenKeepsPasswordOut: a PostgreSQL URL that does not parse is an
// error that says why without repeating the URL's password, which would
// end up in logs and CI output.
func TestOpenKeepsPasswordOut(t *testing.T) {
	_, err := Open(context.Background(), "postgres://coursekit:s3cret-pw@127.0.0.1:badport/lrs", nil)
	if err == nil || strings.Contains(err.Error(), "s3cret-pw") || !strings.Contains(err.Error(), "port") {
		t.Errorf("Open = %v, want an error about the port that does not show the password", err)
	}
}
