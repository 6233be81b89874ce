package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/storetest"
)

const postgresHowTo = "set COURSEKIT_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run the PostgreSQL tests"

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

func sqliteTestDSN(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "coursekit.db")
}

// mustOpenPostgres opens a store on a new schema of the database
// COURSEKIT_TEST_POSTGRES names, dropped when the test ends.
func mustOpenPostgres(t testing.TB) *Store {
	t.Helper()
	return mustOpen(t, postgresTestDSN(t))
}

// postgresTestDSN creates a schema and returns a DSN whose search_path is
// it. It skips the test when COURSEKIT_TEST_POSTGRES is unset and fails it
// when the server cannot be reached.
func postgresTestDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("COURSEKIT_TEST_POSTGRES")
	if dsn == "" {
		t.Skip(postgresHowTo)
	}
	admin, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatalf("COURSEKIT_TEST_POSTGRES: %v", err)
	}
	t.Cleanup(func() { admin.Close() })
	var b [6]byte
	rand.Read(b[:])
	schema := fmt.Sprintf("ck_test_%x", b)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("COURSEKIT_TEST_POSTGRES: create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("COURSEKIT_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
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
